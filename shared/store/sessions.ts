/**
 * The workspace's sessions, kept server-side: an item per session, keyed by the SHA-256 of its cookie (256
 * random bits), so the table and its backups hold nothing a browser could present. A session lives until the
 * earlier of its idle and absolute deadlines: DynamoDB's TTL removes the item in time, and a read treats it as
 * gone the moment a deadline passes. Times are real time, passed in: the development clock never moves them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.ts';
import { TABLE } from './table.ts';

/** A sign-in under way: what the callback must find again (state, RFC 6749 10.12; PKCE, RFC 7636; nonce). */
export interface SigningIn {
  kind: 'signingIn';
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Where the user was going: a path under `/app/` only. */
  returnTo: string;
}

/** A signed-in user: the provider's tokens, which never reach the browser, and the session's form token. */
export interface SignedIn {
  kind: 'signedIn';
  accessToken: string;
  /** When the access token expires (epoch ms): the session ends with it. */
  accessTokenExpiresAt: number;
  idToken?: string | undefined;
  /** The user's name from the ID token, to say on every page who is signed in. */
  name?: string | undefined;
  /** The CSRF token every form of the session carries. */
  formToken: string;
}

export type SessionData = SigningIn | SignedIn;

export interface Session {
  /** The cookie's value: only ever in the browser's cookie and in this object, never stored. */
  id: string;
  data: SessionData;
  /** Epoch ms. */
  createdAt: number;
  lastSeenAt: number;
}

export interface SessionLimits {
  /** A session not used for this long is over. */
  idleMs: number;
  /** No session outlives this from its start. */
  absoluteMs: number;
}

/** 30 minutes idle, 10 hours in all: a working day, and a screen left unlocked for no longer than a break. */
export const SESSION_LIMITS: SessionLimits = { idleMs: 30 * 60_000, absoluteMs: 10 * 3600_000 };
/** A sign-in that has not come back from the provider within this long is abandoned. */
export const SIGN_IN_MS = 10 * 60_000;

export interface SessionStore {
  /** A new session under a new random id: every sign-in gets one, never the id it came with. */
  create(data: SessionData, now: number): Promise<Session>;
  /** The session of a cookie while neither deadline has passed; otherwise undefined (and it is removed). */
  find(id: string, now: number): Promise<Session | undefined>;
  /** Marks the session used now, which moves its idle deadline (written at most once a minute). */
  touch(session: Session, now: number): Promise<void>;
  end(id: string): Promise<void>;
}

export const cookieHash = (id: string) => createHash('sha256').update(id).digest('hex');

/** A cookie value as the service makes them: 32 random bytes, base64url. Anything else is no session. */
const WELL_FORMED = /^[\w-]{43}$/;

export function createSessionStore(
  client: DynamoDBDocumentClient,
  tableName: string,
  limits: SessionLimits = SESSION_LIMITS,
): SessionStore {
  const deadline = (session: Session) =>
    session.data.kind === 'signingIn'
      ? session.createdAt + SIGN_IN_MS
      : Math.min(
          session.lastSeenAt + limits.idleMs,
          session.createdAt + limits.absoluteMs,
          session.data.accessTokenExpiresAt,
        );
  const put = (session: Session) =>
    client.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...keys.session(cookieHash(session.id)),
          data: session.data,
          createdAt: session.createdAt,
          lastSeenAt: session.lastSeenAt,
          [TABLE.timeToLive]: Math.ceil(deadline(session) / 1000),
        },
      }),
    );
  const end = async (id: string) => {
    if (!WELL_FORMED.test(id)) return;
    await client.send(new DeleteCommand({ TableName: tableName, Key: keys.session(cookieHash(id)) }));
  };
  return {
    async create(data, now) {
      const session: Session = {
        id: randomBytes(32).toString('base64url'),
        data,
        createdAt: now,
        lastSeenAt: now,
      };
      await put(session);
      return session;
    },
    async find(id, now) {
      if (!WELL_FORMED.test(id)) return undefined;
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: keys.session(cookieHash(id)), ConsistentRead: true }),
      );
      if (!Item) return undefined;
      const session: Session = {
        id,
        data: Item.data as SessionData,
        createdAt: Number(Item.createdAt),
        lastSeenAt: Number(Item.lastSeenAt),
      };
      if (now >= deadline(session)) {
        await end(id);
        return undefined;
      }
      return session;
    },
    async touch(session, now) {
      if (now - session.lastSeenAt < 60_000) return;
      session.lastSeenAt = now;
      await put(session);
    },
    end,
  };
}
