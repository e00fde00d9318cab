/**
 * Where a device keeps its offline replica (C2). The client saves the full state after each
 * change (debounced); platforms pick the storage they have.
 */
export interface ReplicaStorage {
  load(): Promise<Uint8Array | undefined>;
  save(state: Uint8Array): Promise<void>;
}

/** No persistence: the replica lives as long as the process (tests, one-shot CLI commands). */
export function memoryStorage(): ReplicaStorage & { saved: Uint8Array | undefined } {
  const store = {
    saved: undefined as Uint8Array | undefined,
    async load() {
      return store.saved;
    },
    async save(state: Uint8Array) {
      store.saved = state;
    },
  };
  return store;
}

/** Browser-style key/value storage (localStorage); state is kept as base64. */
export function webStorage(
  storage: { getItem(k: string): string | null; setItem(k: string, v: string): void },
  key: string,
): ReplicaStorage {
  return {
    async load() {
      const text = storage.getItem(key);
      if (!text) return undefined;
      const binary = atob(text);
      const out = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
      return out;
    },
    async save(state) {
      let binary = '';
      for (let i = 0; i < state.length; i += 0x8000) binary += String.fromCharCode(...state.subarray(i, i + 0x8000));
      storage.setItem(key, btoa(binary));
    },
  };
}
