export const cache = {
  async wrap<T>(_key: string, load: () => Promise<T>): Promise<T> {
    return load();
  },
};
