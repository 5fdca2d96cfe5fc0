// Package lease is the leader-lease protocol (docs/scenarios.md): an issuer Q grants the lease
// "leader" to one holder at a time, and a holder believes it leads only until its lease
// runs out on its own clock.
//
// The rules, and why each is safe:
//
//   - A holder asks Q every `renew` (Request, carrying a sequence number). It remembers
//     the monotonic time t_send at which it SENT each request, and when Q grants, it
//     claims the lease until its monotonic clock reads t_send + lease - guard. Counting
//     from the send (not from the grant's arrival) makes the network delay irrelevant: Q
//     granted after the request left. A grant answering any request sent within the last
//     lease - guard counts, however many requests were sent since (a slow link keeps
//     many in flight); see holder.sentAt.
//   - Q grants a holder a new epoch (the fencing token) only when the lease is free: no
//     owner, or lease + guard has passed on Q's monotonic clock since Q last granted or
//     renewed the owner's lease. With every clock's rate within 1 ± ρ, the old holder's
//     claim ends before Q frees the lease whenever (lease-guard)(1+ρ) <= (lease+guard)(1-ρ),
//     that is guard >= lease·ρ (MinGuard).
//   - Q queues the contenders it denies. When the lease frees on Q's clock, Q grants it
//     at once to the first contender that asked within the last two renewal periods
//     (answering that contender's last request, whose send time the contender counts
//     from), so a failover costs one network delay rather than a wait for the next
//     request.
//   - The epoch and owner are durable on Q. After Q restarts it does not know when it
//     last granted, so for lease + guard it grants only to the owner it remembers (a
//     renewal cannot make two holders) and to nobody else: the grace period.
//   - Liveness leases (P4): every reply from Q, grant or deny, renews the holder's
//     liveness lease live/<name> with the same conservative deadline; Q declares a holder
//     failed only after lease + guard on Q's clock without replying to it, so that by
//     then the holder has stopped believing it is alive.
//   - A leader writes to the resource R every write_every while its lease is valid on its
//     own clock, with its epoch (and, in the fencing protocol, the epoch as a token that
//     R checks).
//
// Failover time. Let the leader crash at true time t_c (its claim ends there), every
// clock's rate be within 1 ± ρ, and one-way delays lie in [dmin, dmax]. The leader renews
// every renew on its clock, so the last request Q processed from it arrived at t_q with
// t_c - renew/(1-ρ) + dmin < t_q <= t_c + dmax (a request may still be in flight at the
// crash). Q frees the lease lease + guard after t_q on its own clock: between
// (lease+guard)/(1+ρ) and (lease+guard)/(1-ρ) of true time. Q keeps the contenders it
// denied in a queue and, at that moment, grants the first one that asked within the last
// two renewal periods (one that stopped asking may be dead), answering its last request;
// the holder claims when the grant arrives, one delay later. So
//
//	(lease+guard)/(1+ρ) - renew/(1-ρ) + 2·dmin  <=  gap  <=  (lease+guard)/(1-ρ) + 2·dmax
//
// With lease 5s, guard 250ms, renew 1s, ρ = 100 ppm and delays in [1ms, 20ms]: between
// 4.25s and 5.29s; 200 seeds measured 4.26s–5.16s (TestLeaderCrashGapBounds). When no
// contender asked recently (its requests were lost, or in version mode, where contenders
// decide by themselves), the next holder waits for its next request: up to
// (renew/(1-ρ) + dmax) more per lost request.
//
// Expiry modes (`expiry`):
//
//   - period: the above.
//   - timestamp: Q sends an absolute expiry (its wall clock + lease) and the holder claims
//     until its own WALL clock reads expiry - guard; Q frees the lease when its wall clock
//     passes expiry + guard. Safe only while wall clocks agree within the guard: offsets
//     and steps beyond it break P1, which is what the mode is there to show.
//   - version: the lease record carries a version that every renewal bumps (sent in
//     Message.Time). Q never expires anything; a contender that has seen the same version
//     unchanged for lease + guard on its own monotonic clock asks Q to take over with a
//     compare-and-swap on that version (client-go's observed-time rule). The old holder's
//     claim, counted from its last successful renewal's send, has ended by then under the
//     same drift bound.
//
// Mutants: no-guard (guard 0 everywhere), count-from-grant-receipt (the holder counts
// from the grant's arrival), issuer-regrants-early (Q frees the lease after lease, not
// lease + guard), renew-extends-from-issuer-time (the holder takes Q's clock reading in
// the grant as its own), holder-ignores-expiry (a holder leads until told otherwise),
// guard-short-5pct (both sides apply 95% of the guard: caught only at the margin, by the
// catalog's *-margin scenarios, where drift or offset is the largest the full guard
// tolerates).
//
// never-retries (a holder whose lease ran out stops asking: it breaks liveness only).
// The fencing protocol (package fencing) is this protocol with a fenced resource.
package lease
