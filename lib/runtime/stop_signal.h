#pragma once
// Graceful stop of a run: the first SIGINT or SIGTERM only raises a flag that the training loop reads
// at the end of an iteration (it then checkpoints and stops); a second one kills as usual.

namespace stanley {

// Installs the handlers (once per process).
void install_stop_handlers();
// The signal received (SIGINT, SIGTERM), or 0.
int stop_signal();

}  // namespace stanley
