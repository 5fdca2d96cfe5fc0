// Package redlock is Redis's Redlock: a lock taken from a majority of N independent
// issuers Q1..Qn (scenario `issuers: 3` or `5`), which share nothing and run no consensus.
//
// The rules:
//
//   - A holder picks a random value and sends SET key value NX PX ttl to every issuer at
//     once, noting its monotonic clock reading t_start. An issuer grants when the key is
//     absent or expired, or already holds that value (an extension), and then sets it to
//     expire ttl later on the issuer's WALL clock, as Redis keeps expiries as Unix times.
//   - The holder decides when every issuer replied or `timeout` passed: it holds the lock
//     when a majority granted and its validity ttl − (now − t_start) − drift is positive,
//     where drift = ttl·drift_ppm/1e6 + drift_min (Redis: ttl·0.01 + 2ms). It then claims
//     the lock until its monotonic clock reads t_start + ttl − drift, and extends it every
//     `renew` by the same round with the same value (validity counted from that round's
//     t_start). An extension that fails leaves the lock to its deadline and retries soon.
//   - An acquisition that fails (no majority, or validity <= 0) releases: it deletes its
//     value on every issuer (DEL if the value matches), then retries after a delay drawn
//     uniformly in (0, retry_delay] from the holder's seeded stream.
//   - An issuer that restarts has lost its keys (no persistence): it grants nothing for
//     ttl on its monotonic clock (antirez's delayed restart).
//
// Safety (P1) rests on the clocks. The holder's lock ends by true time
// t_start + (ttl − drift)/(1 − ρ_h) for a holder clock slow by ρ_h; an issuer that
// granted after t_start frees the key no earlier than t_start + ttl/(1 + ρ_q) for an
// issuer clock fast by ρ_q. The lock ends first while ttl·(ρ_h + ρ_q) <= drift, roughly:
// the allowance covers the sum of the two rate errors, 1% of the TTL with Redis's factor.
// A majority of issuers must free the key before another holder gets a majority, so
// one issuer whose clock breaks the bound is not enough; Kleppmann's counterexample is
// a holder that reached only a bare majority (a partition hides the others) and one of
// those issuers whose wall clock STEPS forward, expiring the key at once: a second
// holder gets that issuer and the ones the first never reached (catalog
// redlock-clock-step, P1 violated). antirez's answer is that issuers must slew, never
// step: clocks that only drift and slew within the allowance keep P1
// (redlock-clock-slew), and clocks whose worst rates add up beyond it do not, slewing or
// not (redlock-drift-outside). Both sides agree that a holder that pauses after deciding (a GC
// pause) acts on a lock that has expired: P1 as the checker sees it still holds (a lock
// ends on the holder's clock even while it is paused), but its write, issued before the
// pause and sent after it, lands after the next holder's (redlock-pause-nofence, P2
// violated).
//
// Fencing (fenced: true) is what Kleppmann prescribes and Redlock lacks: Redlock's random
// values are not ordered. This package adds the least that makes ordered tokens from
// independent issuers: each issuer keeps a durable counter that grows with every grant
// that creates the key; a new lock's token is the largest counter among its majority's
// grants; and before writing with it, the holder commits the token to the issuers — an
// issuer that still holds the holder's key raises its counter to the token and
// acknowledges — and writes only after a majority acknowledged. Any later holder's
// majority meets that majority at some issuer, which granted it after the earlier key was
// gone and so after the commit, with a larger counter: tokens grow in the order locks are
// used, whatever the clocks do, and the resource rejects a token older than the newest
// it accepted (redlock-pause-fenced, and redlock-clock-step-fenced: a step still gives
// two holders, but no stale write lands). With fenced: false the same tokens are the
// writes' epochs, by which the checker orders them (P2), and the resource ignores them:
// that is Redlock.
//
// Two live issuers of three. With one issuer down (or cut off) a majority is both of the
// others, granting in the same attempt, and Redlock's release is best effort: a DEL the
// network loses leaves the holder's own key of a failed attempt on that issuer, which
// refuses every later attempt — each has a fresh random value, and SET NX refuses a key
// that exists — until the key's ttl runs out. Under loss the two issuers' stale keys
// leapfrog: when one expires, the next failed attempt often leaves a new one there
// while the other still refuses. With Q3 down, 20% of messages lost and the default ttl
// (10s), one fenced holder never holds the lock within a minute in 7 of seeds 1–100 (17
// of 200) and is unavailable for over 10% of it in 20 of 100; with Q3 up, in none. This
// is the protocol, not the model: a holder that kept its value across attempts (so that
// its own stale key counts as granted, as Redisson's owner-id lock script does) shows
// none of it (TestStaleKeysWithTwoIssuers measures both).
//
// P3 is not checked: the protocol has no client API with a sequential specification
// (OpModel is nil, so the checker reports P3 as not applicable). P4 is not applicable
// either: no issuer declares a holder failed.
//
// Mutants: no-drift-allowance (validity = ttl − elapsed; breaks P1 when a holder's clock
// is slow and the issuers' fast, redlock-clock-slew's clocks), validity-from-reply (the
// holder counts validity from when it decides, after the replies, so that slow replies
// extend the lock past the keys).
package redlock
