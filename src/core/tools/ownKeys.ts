// Writing `obj[key] = value` with key "__proto__" (legal in JSON) would replace the object's
// prototype instead of storing the key; defining the property keeps it as plain data.
export function setOwn<T>(obj: { [key: string]: T }, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
