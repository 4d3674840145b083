#include "runtime/stop_signal.h"

#include <signal.h>

namespace stanley {
namespace {

volatile sig_atomic_t g_signal = 0;
volatile sig_atomic_t g_second_stops_at_once = 1;

void on_signal(int sig) {
  g_signal = sig;
  if (g_second_stops_at_once) signal(sig, SIG_DFL);  // async-signal-safe
}

constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};

}  // namespace

struct StopSignals::Saved {
  struct sigaction old[3] {};
  bool installed[3] = {false, false, false};
};

StopSignals::StopSignals(bool hangup, bool second_stops_at_once) : saved_(std::make_unique<Saved>()) {
  g_signal = 0;
  g_second_stops_at_once = second_stops_at_once ? 1 : 0;
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  for (int i = 0; i < 3; ++i) {
    if (kSignals[i] == SIGHUP && !hangup) continue;
    saved_->installed[i] = sigaction(kSignals[i], &sa, &saved_->old[i]) == 0;
  }
}

StopSignals::~StopSignals() {
  for (int i = 0; i < 3; ++i)
    if (saved_->installed[i]) sigaction(kSignals[i], &saved_->old[i], nullptr);
}

void install_stop_handlers() { static const StopSignals process_wide(/*hangup=*/false, /*second_stops_at_once=*/true); }

int stop_signal() { return g_signal; }

}  // namespace stanley
