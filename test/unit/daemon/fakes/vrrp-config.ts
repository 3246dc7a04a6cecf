/** The VRRP configuration the daemon's unit tests start from: one v2 PASS Master on eth0. */
export const VIP = '10.0.0.100';

/** VI_1 with `instanceExtra` inside the instance block and `top` before it. */
export function conf(instanceExtra = '', top = ''): string {
  return `${top}
vrrp_instance VI_1 {
  state MASTER
  interface eth0
  virtual_router_id 51
  priority 150
  advert_int 1
  authentication {
    auth_type PASS
    auth_pass s3cret
  }
  virtual_ipaddress {
    ${VIP}/24 dev eth0 label eth0:vip
  }
${instanceExtra}}
`;
}
