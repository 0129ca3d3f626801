// The minimal request and response the Management API is written against,
// so it runs under Next's route handlers or any other adapter.
export type ApiRequest = {
  method: string;
  /** The full request URL (only the path and query are read). */
  url: URL;
  /** Lower-case header name → value. */
  header: (name: string) => string | undefined;
  /** The raw body, or null once it passes `maxBytes` (read as a stream and cut there); read only by routes that take one. */
  text: (maxBytes: number) => Promise<string | null>;
};

export type ApiResponse = {
  status: number;
  headers: Record<string, string>;
  /** JSON-serialisable; undefined for 204 (or when `text` is the body). */
  body?: unknown;
  /** A body that is not JSON (GET /config as YAML), written as it is with its content type. */
  text?: { contentType: string; value: string };
};
