// Calls to the stackmatrix JSON API (same origin, under /v1/). The API is the engine: the page
// sends what the user chose and shows what comes back.

// An answer the API refused (4xx/5xx with a JSON error body) or that never arrived.
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `HTTP ${status}`);
    this.status = status;
    this.kind = body?.error || (status === 0 ? "network" : "failure");
    this.field = body?.field || null;
  }
}

// Requests per channel: a newer request on the same channel aborts the older one, so a slow
// answer never overwrites a newer one.
const inflight = new Map();

// GET `path` (with `query`) or, when `body` is given, POST it as JSON. Adds `lang`.
export async function call(channel, path, { lang, query = {}, body } = {}) {
  inflight.get(channel)?.abort();
  const controller = new AbortController();
  inflight.set(channel, controller);
  const params = new URLSearchParams({ ...query, lang });
  const init = { signal: controller.signal, headers: { Accept: "application/json" } };
  if (body !== undefined) {
    init.method = "POST";
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let res;
  let text;
  try {
    res = await fetch(`${path}?${params}`, init);
    text = await res.text();
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new ApiError(0, { error: "network", message: String(e.message || e) });
  }
  // A newer request on the channel may have started while this one was read.
  if (controller.signal.aborted) throw new DOMException("superseded", "AbortError");
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { error: "failure", message: text.slice(0, 300) };
  }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

// True for the error a superseded request ends with.
export function aborted(e) {
  return e?.name === "AbortError";
}
