// While Autotask answers 429 (too many requests) the backend waits as asked and tries again; it
// tells the page each wait (`autotask-wait`, re-dispatched on `document` by app.js) so that the
// screen that is waiting can say why.

/** `{seconds, attempt, tries}` → the sentence shown where the user waits. */
export function waitText(w) {
  return `Autotask is busy (HTTP 429, too many requests): trying again in ${w.seconds} s (try ${w.attempt + 1} of ${w.tries})…`;
}
