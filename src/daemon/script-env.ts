/** Scripts start with a clean environment, as keepalived's do: only a PATH. */
export const SCRIPT_ENV: NodeJS.ProcessEnv = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' };
