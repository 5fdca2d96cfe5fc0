package etcd

import "github.com/leasesim/leasesim/sim"

// StepMessage sends the kernel's messages through fromReceipt's Step: the holder it
// embeds is a sim.MessageStepper, and the kernel would otherwise call the holder's
// StepMessage, promoted through the embedding, and skip the planted bug.
func (w *fromReceipt) StepMessage(env *sim.Env, m *sim.Message) { w.Step(env, *m) }

// StepMessage sends the kernel's messages through plantedKeys' Step, for the same reason.
func (w *plantedKeys) StepMessage(env *sim.Env, m *sim.Message) { w.Step(env, *m) }
