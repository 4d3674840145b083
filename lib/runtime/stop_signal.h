#pragma once
// Graceful stop, the one owner of SIGINT/SIGTERM handling: the first signal only raises a flag that a
// loop reads at a safe point (a run: the end of an iteration, then it checkpoints and stops; a sweep:
// it stops launching and interrupts its jobs).

#include <memory>

namespace stanley {

// While alive, SIGINT and SIGTERM (and SIGHUP where `hangup`) raise the flag stop_signal() reads,
// cleared at construction; the handlers it replaced come back at destruction. With
// `second_stops_at_once`, a second signal acts as it would without the handler (a second Ctrl-C kills).
class StopSignals {
 public:
  StopSignals(bool hangup, bool second_stops_at_once);
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

 private:
  struct Saved;
  std::unique_ptr<Saved> saved_;  // the handlers replaced
};

// A run's handlers, for the rest of the process (SIGINT, SIGTERM; a second one kills); once per process.
void install_stop_handlers();
// The signal received (SIGINT, SIGTERM, SIGHUP), or 0.
int stop_signal();

}  // namespace stanley
