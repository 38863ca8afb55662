/**
 * A value that must never reach a log, an error message or a JSON body by accident: channel
 * private keys, scanned payment codes. Printing it in any way gives `[redacted]`; only `reveal()`
 * hands out the value, so every use is visible in the code.
 */
export class Secret<T = string> {
  readonly #value: T;

  constructor(value: T) {
    this.#value = value;
  }

  reveal(): T {
    return this.#value;
  }

  toString(): string {
    return '[redacted]';
  }

  toJSON(): string {
    return '[redacted]';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'Secret([redacted])';
  }
}
