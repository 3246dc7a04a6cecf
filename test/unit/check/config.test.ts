import { describe, expect, it } from 'vitest';
import { analyzeText } from '../config/statements.js';

const checkersOf = (checker: string) =>
  analyzeText(`virtual_server 10.0.0.1 53 {\n lvs_sched rr\n lvs_method NAT\n protocol UDP\n real_server 10.0.0.2 53 {\n${checker}\n }\n}\n`).config.virtual_servers[0]?.real_servers[0]?.checkers ??
  [];

describe('checker settings as the probers read them', () => {
  it('joins the words of UDP_CHECK payload and require_reply, as keepalived does', () => {
    expect(checkersOf('  UDP_CHECK {\n   payload 01 02 ff\n   require_reply 4x 0a\n  }')[0]).toMatchObject({ payload: '01 02 ff', require_reply: '4x 0a' });
    expect(checkersOf('  UDP_CHECK {\n   require_reply\n  }')[0]).toMatchObject({ payload: null, require_reply: true });
    expect(checkersOf('  UDP_CHECK {\n  }')[0]).toMatchObject({ require_reply: false });
  });

  it("leaves helo_name unset without the keyword (the prober sends keepalived's default, not router_id)", () => {
    const r = analyzeText(`global_defs {\n router_id lb1\n}\nvirtual_server 10.0.0.1 25 {\n lvs_sched rr\n lvs_method NAT\n protocol TCP\n real_server 10.0.0.2 25 {\n  SMTP_CHECK {\n  }\n }\n}\n`);
    expect(r.config.virtual_servers[0]?.real_servers[0]?.checkers[0]).toMatchObject({ type: 'SMTP_CHECK', helo_name: null });
  });
});
