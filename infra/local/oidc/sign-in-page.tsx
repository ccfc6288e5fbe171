/**
 * The development sign-in page: every person of the demo directory, by scenario and organisation, each a
 * button. Plain HTML that works by keyboard (Tab to a person, Enter to sign in) and meets WCAG 2.1 AA, written
 * with the service's one renderer, as is the provider's error page.
 */
import type { ComponentChildren } from 'preact';
import { InlineStyle } from '../../../shared/html/parts.tsx';
import { renderPage } from '../../../shared/html/render.ts';
import type { DemoUser } from '../demo-users.ts';

const SCENARIOS = {
  1: 'Scenario 1: Elsa, 84 — utskrivning från sjukhus',
  2: 'Scenario 2: Leo, 14 — skola, barnpsykiatri och socialtjänst',
  3: 'Scenario 3: Sara, 37 — psykiatri, beroende och arbete',
} as const;

const KIND = { hsaId: 'HSA-id', organisationNumber: 'organisationsnummer', other: 'id' } as const;
const ROLE = { 'sip.read': 'läsa', 'sip.write': 'skriva', 'report.read': 'regionala rapporter' } as const;

const STYLE = `
body { font-family: system-ui, sans-serif; line-height: 1.5; margin: 0 auto; max-width: 60rem; padding: 1rem; color: #1a1a1a; background: #fff; }
.notice { background: #fff4ce; border: 1px solid #8a6d00; padding: .5rem 1rem; }
ul { list-style: none; padding: 0; }
li { margin: .5rem 0; }
button { font: inherit; padding: .4rem .8rem; margin-right: .5rem; border: 2px solid #0b4f8a; border-radius: 4px; background: #0b4f8a; color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: #0b4f8a; }
button:focus-visible { outline: 3px solid #1a1a1a; outline-offset: 2px; }
.org { color: #3d3d3d; margin-top: 0; }
.id { font-family: ui-monospace, monospace; }
`;

const Page = ({
  title,
  lang,
  children,
}: {
  title: string;
  lang: 'sv' | 'en';
  children: ComponentChildren;
}) => (
  <html lang={lang}>
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{title}</title>
      <InlineStyle css={STYLE} />
    </head>
    <body>{children}</body>
  </html>
);

export function signInPage(options: { action: string; cancel: string; users: readonly DemoUser[] }): string {
  return renderPage(
    <Page title="Logga in — SIP, lokal utvecklingsmiljö" lang="sv">
      <header>
        <p class="notice">
          Lokal utvecklingsmiljö: inga riktiga personer, ingen riktig inloggning. I drift loggar du in med
          SITHS eller e-legitimation hos regionens identitetsleverantör.
        </p>
      </header>
      <main>
        <h1>Logga in som en demoanvändare</h1>
        <p>
          Välj vem du vill vara. Varje person hör till en organisation i ett av de tre scenarierna och får de
          behörigheter som står intill.
        </p>
        <form method="post" action={options.action}>
          {([1, 2, 3] as const).map((scenario) => {
            const users = options.users.filter((u) => u.scenario === scenario);
            const organisations = [
              ...new Map(users.map((u) => [u.organisation.id, u.organisation])).values(),
            ];
            return (
              <section aria-labelledby={`scenario-${scenario}`}>
                <h2 id={`scenario-${scenario}`}>{SCENARIOS[scenario]}</h2>
                {organisations.map((org) => (
                  <>
                    <h3>{org.name}</h3>
                    <p class="org">
                      {org.principalName} · {KIND[org.idKind]} <span class="id">{org.id}</span>
                    </p>
                    <ul>
                      {users
                        .filter((u) => u.organisation.id === org.id)
                        .map((u) => (
                          <li>
                            <button
                              type="submit"
                              name="user"
                              value={u.userId}
                              aria-describedby={`about-${u.userId}`}
                            >
                              Logga in som {u.name}
                            </button>
                            <span id={`about-${u.userId}`}>
                              {u.title}
                              {u.unitId ? `, enhet ${u.unitId}` : ''} — får{' '}
                              {u.roles.map((r) => ROLE[r]).join(', ')}
                            </span>
                          </li>
                        ))}
                    </ul>
                  </>
                ))}
              </section>
            );
          })}
        </form>
        <form method="post" action={options.cancel}>
          <p>
            <button type="submit" class="secondary">
              Avbryt inloggningen
            </button>
          </p>
        </form>
      </main>
    </Page>,
  );
}

/** The provider's page for an error in a sign-in (a bad request from a client, a cancelled sign-in). */
export const signInErrorPage = (description: string): string =>
  renderPage(
    <Page title="Sign-in error" lang="en">
      <main>
        <h1>Sign-in error</h1>
        <p>{description}</p>
      </main>
    </Page>,
  );
