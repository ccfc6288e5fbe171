/**
 * Signing in to the workspace without a browser, as a browser would: follow the redirects of the code flow
 * between the workspace and the embedded provider, keeping each origin's cookies, and choose a person on the
 * provider's sign-in page. For the workspace's security tests; the browser tests sign in through the page.
 */
import type { startTestApi } from './api.ts';

type Api = Awaited<ReturnType<typeof startTestApi>>;

/** A cookie jar per origin: just enough for the flow (names and values, no attributes). */
export class Jar {
  private readonly byOrigin = new Map<string, Map<string, string>>();
  header(url: string): string {
    return [...(this.byOrigin.get(new URL(url).origin) ?? new Map()).entries()]
      .map(([n, v]) => `${n}=${v}`)
      .join('; ');
  }
  take(url: string, response: Response): void {
    const origin = new URL(url).origin;
    const cookies = this.byOrigin.get(origin) ?? new Map<string, string>();
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const [name = '', ...value] = pair.split('=');
      const expired = /max-age=0/i.test(line) || value.join('=') === '';
      if (expired) cookies.delete(name.trim());
      else cookies.set(name.trim(), value.join('='));
    }
    this.byOrigin.set(origin, cookies);
  }
  get(url: string, name: string): string | undefined {
    return this.byOrigin.get(new URL(url).origin)?.get(name);
  }
}

/** One request with the jar's cookies, not following redirects. */
export async function send(jar: Jar, url: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(url, {
    ...init,
    redirect: 'manual',
    headers: { ...(init.headers as Record<string, string>), cookie: jar.header(url) },
  });
  jar.take(url, response);
  return response;
}

/** Follows redirects (303/302) from `url`, with the jar; returns the last answer and where it came from. */
export async function follow(
  jar: Jar,
  url: string,
  init: RequestInit = {},
): Promise<{ response: Response; url: string }> {
  let response = await send(jar, url, init);
  let at = url;
  for (let hops = 0; hops < 10 && [301, 302, 303, 307].includes(response.status); hops++) {
    at = new URL(response.headers.get('location') ?? '', at).href;
    response = await send(jar, at);
  }
  return { response, url: at };
}

/** Signs `userId` in from `path` (a page of the workspace); returns the jar and the page it landed on. */
export async function signIn(api: Api, userId: string, path = '/app/') {
  const jar = new Jar();
  const start = await follow(jar, `${api.url}${path}`);
  // The provider's sign-in page: its form posts the chosen person.
  const action = /<form method="post" action="([^"]+\/sign-in)"/.exec(await start.response.text())?.[1];
  if (!action) throw new Error(`no sign-in form at ${start.url}`);
  const signedIn = await follow(jar, new URL(action, start.url).href, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ user: userId }).toString(),
  });
  return {
    jar,
    landed: signedIn.url,
    page: await signedIn.response.text(),
    status: signedIn.response.status,
  };
}
