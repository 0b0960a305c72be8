// Calls to the server, as the signed-in user, in the reader's language.

const TOKEN = 'stagegate-token';

/** An answer of the service that is not a success: its status and its JSON body. */
export class ServiceError extends Error {
  /** @param {number} status @param {any} body */
  constructor(status, body) {
    super(body?.message ?? `the service answered ${status}`);
    this.status = status;
    this.body = body;
  }
}

export const session = {
  get token() { return sessionStorage.getItem(TOKEN); },
  set token(value) {
    if (value === null) sessionStorage.removeItem(TOKEN);
    else sessionStorage.setItem(TOKEN, value);
  },
  lang: 'en',
};

/** `method path` with the token and `?lang=`; the JSON answer, or a ServiceError. */
export async function call(method, path, body) {
  const url = `${path}${path.includes('?') ? '&' : '?'}lang=${encodeURIComponent(session.lang)}`;
  const response = await fetch(url, {
    method,
    headers: { Authorization: `Bearer ${session.token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({ message: `the service answered ${response.status} without JSON` }));
  if (!response.ok) throw new ServiceError(response.status, answer);
  return answer;
}
