/**
 * The local provider's sessions, interactions, codes and grants, in memory: a restart signs everyone out,
 * which is what a development runtime should do. Only the keys are kept (state.ts). In AWS the region's
 * own provider keeps its state; this adapter never runs there.
 */
import type { Adapter, AdapterPayload } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  expiresAt: number;
}

const stores = new Map<string, Map<string, Entry>>();

export class MemoryAdapter implements Adapter {
  readonly #items: Map<string, Entry>;

  constructor(model: string) {
    const store = stores.get(model) ?? new Map<string, Entry>();
    stores.set(model, store);
    this.#items = store;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    const now = Date.now();
    // Expired entries go when a store grows, so that a long-running `npm start` keeps a bounded memory.
    if (this.#items.size >= 10_000)
      for (const [key, entry] of this.#items) if (entry.expiresAt <= now) this.#items.delete(key);
    this.#items.set(id, { payload, expiresAt: now + expiresIn * 1000 });
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const entry = this.#items.get(id);
    if (entry && entry.expiresAt <= Date.now()) this.#items.delete(id);
    return entry && entry.expiresAt > Date.now() ? entry.payload : undefined;
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    for (const [id, entry] of this.#items) if (entry.payload.uid === uid) return this.find(id);
    return undefined;
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    for (const [id, entry] of this.#items) if (entry.payload.userCode === userCode) return this.find(id);
    return undefined;
  }

  async consume(id: string): Promise<void> {
    const entry = this.#items.get(id);
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    this.#items.delete(id);
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    for (const store of stores.values())
      for (const [id, entry] of store) if (entry.payload.grantId === grantId) store.delete(id);
  }
}
