package heartbeat

import (
	"fmt"
	"time"

	"github.com/leasesim/leasesim/history"
	"github.com/leasesim/leasesim/model"
	"github.com/leasesim/leasesim/model/resource"
	"github.com/leasesim/leasesim/sim"
)

// The protocol's messages and timers.
const (
	msgHeartbeat sim.MsgType = sim.MsgUser + iota // holder -> Q
	msgAck                                        // Q -> holder: Subject = leader, Epoch
	msgBeatTick                                   // holder timer
	msgWriteTick                                  // holder timer
	msgCheckTick                                  // Q timer
)

// MutantShortTimeout is the mutant whose timeout is shorter than the heartbeat interval.
const MutantShortTimeout = "heartbeat-timeout-shorter-than-interval"

var msgNames = map[sim.MsgType]string{msgHeartbeat: "Heartbeat", msgAck: "Ack", msgBeatTick: "BeatTick",
	msgWriteTick: "WriteTick", msgCheckTick: "CheckTick", resource.MsgWrite: "Write"}

// MsgName names the protocol's messages in transcripts.
func MsgName(t sim.MsgType) string {
	if n, ok := msgNames[t]; ok {
		return n
	}
	return fmt.Sprintf("msg%d", t)
}

func init() {
	model.Register(&model.Protocol{
		Name: "heartbeat",
		Doc:  "Q promotes a new leader after missed heartbeats; no lease (the seed's double-master example)",
		Params: []model.Param{
			{Name: "heartbeat", Kind: model.Duration, Default: "1s", Pacing: model.Period, Doc: "interval between a holder's heartbeats"},
			{Name: "timeout", Kind: model.Duration, Default: "3s", Doc: "Q declares a holder dead after this long without a heartbeat"},
		},
		Mutants: []model.Mutant{{Name: MutantShortTimeout, Breaks: "p1",
			Doc: "Q's timeout is half the heartbeat interval: it fails the leader over between heartbeats, with no fault"}},
		Validate: func(v model.Values) error {
			hb, to := v.Duration("heartbeat"), v.Duration("timeout")
			if hb <= 0 {
				return &model.ParamError{Param: "heartbeat", Msg: "must be > 0"}
			}
			if to <= hb {
				return &model.ParamError{Param: "timeout", Msg: fmt.Sprintf("timeout %v must be longer than the heartbeat interval %v, or every holder looks dead between heartbeats", fmtNS(to), fmtNS(hb))}
			}
			return nil
		},
		Build:   build,
		MsgName: MsgName,
	})
}

type config struct {
	heartbeat, timeout, writeEvery int64
}

func build(s model.Setup) (map[string]func() sim.Node, error) {
	if len(s.Issuers) != 1 {
		return nil, fmt.Errorf("the heartbeat protocol has one issuer, got %d", len(s.Issuers))
	}
	cfg := &config{heartbeat: s.Params.Duration("heartbeat"), timeout: s.Params.Duration("timeout"),
		writeEvery: s.Params.Duration("write_every")}
	if s.Mutant == MutantShortTimeout {
		cfg.timeout = cfg.heartbeat / 2
	}
	out := map[string]func() sim.Node{s.Issuers[0]: func() sim.Node { return &issuer{cfg: cfg, heard: map[sim.NodeID]int64{}, dead: map[sim.NodeID]bool{}} }}
	for _, h := range s.Holders {
		out[h] = func() sim.Node { return &holder{cfg: cfg} }
	}
	if s.Resource != "" {
		out[s.Resource] = resource.New(false)
	}
	return out, nil
}

// issuerState is Q's durable state.
type issuerState struct {
	leader sim.NodeID
	epoch  uint64
}

type issuer struct {
	cfg *config
	issuerState
	heard map[sim.NodeID]int64 // Q's monotonic reading at each holder's last heartbeat
	dead  map[sim.NodeID]bool
}

func (q *issuer) Start(env *sim.Env) {
	if st, ok := env.Durable().(issuerState); ok {
		q.issuerState = st
		now := env.Mono()
		for _, h := range env.Holders() {
			q.heard[h] = now // after a restart, give everyone a full timeout
		}
	}
	env.After(q.cfg.heartbeat/2+1, sim.Message{Type: msgCheckTick})
}

// Step handles a message; the kernel calls StepMessage instead.
func (q *issuer) Step(env *sim.Env, m sim.Message) { q.StepMessage(env, &m) }

// StepMessage handles one delivered message or fired timer (sim.MessageStepper).
func (q *issuer) StepMessage(env *sim.Env, m *sim.Message) {
	switch m.Type {
	case msgHeartbeat:
		q.heard[m.From] = env.Mono()
		q.dead[m.From] = false
		if q.leader == sim.NoNode {
			q.promote(env, m.From)
		}
		env.Send(sim.Message{Type: msgAck, To: m.From, Subject: q.leader, Epoch: q.epoch})
	case msgCheckTick:
		q.check(env)
		env.After(q.cfg.heartbeat/2+1, sim.Message{Type: msgCheckTick})
	}
}

func (q *issuer) promote(env *sim.Env, h sim.NodeID) {
	q.leader = h
	q.epoch++
	env.SetDurable(q.issuerState)
	env.Promoted(h)
	for _, x := range env.Holders() {
		env.Send(sim.Message{Type: msgAck, To: x, Subject: q.leader, Epoch: q.epoch})
	}
}

// check declares failed every holder silent for timeout, and fails the leader over to
// the holder heard from most recently.
func (q *issuer) check(env *sim.Env) {
	now := env.Mono()
	for _, h := range env.Holders() {
		last, ok := q.heard[h]
		if ok && !q.dead[h] && now-last >= q.cfg.timeout {
			q.dead[h] = true
			env.DeclareFailed(h)
		}
	}
	if q.leader == sim.NoNode || !q.dead[q.leader] {
		return
	}
	best, bestAt := sim.NoNode, int64(0)
	for _, h := range env.Holders() {
		if last, ok := q.heard[h]; ok && !q.dead[h] && (best == sim.NoNode || last > bestAt) {
			best, bestAt = h, last
		}
	}
	if best != sim.NoNode {
		q.promote(env, best)
	}
}

type holder struct {
	cfg    *config
	q      sim.NodeID
	epoch  uint64
	leads  bool
	leader sim.NodeID
}

func (h *holder) Start(env *sim.Env) {
	h.q = env.Issuers()[0]
	env.ClaimForever(history.LivenessLease(env.Name()), 1)
	env.After(env.Rand().Int64N(h.cfg.heartbeat), sim.Message{Type: msgBeatTick})
	if env.Resource() != sim.NoNode {
		env.After(env.Rand().Int64N(h.cfg.writeEvery)+1, sim.Message{Type: msgWriteTick})
	}
}

// Step handles a message; the kernel calls StepMessage instead.
func (h *holder) Step(env *sim.Env, m sim.Message) { h.StepMessage(env, &m) }

// StepMessage handles one delivered message or fired timer (sim.MessageStepper).
func (h *holder) StepMessage(env *sim.Env, m *sim.Message) {
	switch m.Type {
	case msgBeatTick:
		env.Send(sim.Message{Type: msgHeartbeat, To: h.q})
		env.After(h.cfg.heartbeat, sim.Message{Type: msgBeatTick})
	case msgWriteTick:
		if h.leads {
			resource.Write(env, h.epoch, 0)
		}
		env.After(h.cfg.writeEvery, sim.Message{Type: msgWriteTick})
	case msgAck:
		if m.Epoch < h.epoch {
			return // an acknowledgement older than what the holder knows
		}
		h.epoch, h.leader = m.Epoch, m.Subject
		switch {
		case m.Subject == env.ID() && !h.leads:
			h.leads = true
			env.ClaimForever(history.LeaderLease, h.epoch)
		case m.Subject != env.ID() && h.leads:
			h.leads = false
			env.Release(history.LeaderLease)
		}
	}
}

func fmtNS(ns int64) string { return time.Duration(ns).String() }
