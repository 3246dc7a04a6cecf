import { it } from 'vitest';
import { analyze } from '../../../src/config/analyze.js';
import { statements } from './statements.js';
it('smoke', () => {
  const text = `
global_defs {
   router_id LVS_DEVEL
   notification_email { admin@example.com }
   vrrp_skip_check_adv_addr
   vrrp_no_swap
}
vrrp_script chk_nginx {
   script "/etc/keepalived/check.sh"
   interval 2
   weight -20
}
vrrp_sync_group VG1 {
   VI_1 VI_2
}
vrrp_instance VI_1 {
   state MASTER
   interface eth0
   virtual_router_id 51
   priority 100
   advert_int 1.5
   nopreempt
   netify_backup /x.sh
   authentication {
      auth_type PASS
      auth_pass 1111222233
   }
   track_script {
      chk_nginx
      chk_missing
   }
   virtual_ipaddress {
      192.168.200.16/24 dev eth0 label eth0:1
      192.168.200.17
   }
}
vrrp_instance VI_2 {
   interface eth0
   virtual_router_id 51
   priority 300
   virtual_ipaddress {
      192.168.200.17
   }
}
virtual_server 10.10.10.2 1358 {
    delay_loop 6
    lb_algo rr
    lb_kind NAT
    persistence_timeout
    protocol TCP
    real_server 192.168.200.2 1358 {
        weight 1
        HTTP_GET {
            url {
              path /testurl/test.jsp
              digest 640205b7b0fc66c1ea91c463fac6334d
            }
            connect_timeout 3
            nb_get_retry 3
            delay_before_retry 3
        }
    }
    real_server 192.168.200.2 1358 {
        TCP_CHECK { connect_timeout 3 }
    }
}
virtual_server fwmark 5 {
    real_server 192.168.200.3 {
        TCP_CHECK { }
    }
}
`;
  const r = analyze(statements(text), { hostname: 'lb1' });
  for (const d of r.diagnostics) console.log(`${d.pos?.line}:${d.pos?.col} ${d.severity} ${d.code}: ${d.message} [${d.keyword}]${d.hint ? ' (' + d.hint + ')' : ''}`);
  console.log(JSON.stringify(r.config.vrrp_instances[0], null, 1).slice(0, 1500));
  console.log(JSON.stringify(r.config.virtual_servers[0], null, 1).slice(0, 2500));
});
