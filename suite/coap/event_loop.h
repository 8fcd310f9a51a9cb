// The single-threaded event loop of the suite: libcoap contexts, extra sockets and timers,
// pumped only by whoever waits (architecture: "one event loop, pumped by the waiter").
#pragma once

#include <poll.h>

#include <functional>
#include <map>
#include <thread>
#include <vector>

#include "suite/common/clock.h"

struct coap_context_t;

namespace fc::coap {

class EventLoop {
 public:
  EventLoop();
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // libcoap contexts whose I/O this loop drives. libcoap is not thread-safe: only the thread
  // that created the loop may pump it.
  void attach(coap_context_t* context);
  void detach(coap_context_t* context);

  // Plain sockets (the impairment relay, test peers): `on_readable` runs when `fd` is readable.
  void watch(int fd, std::function<void()> on_readable);
  void unwatch(int fd);

  // Runs `task` on the loop's thread once `when` has come (for delays and stalls). The id
  // cancels it.
  using TimerId = unsigned long;
  TimerId schedule(Clock::time_point when, std::function<void()> task);
  void cancel(TimerId id);
  // Runs `task` at the next pump, outside any libcoap callback (follow-up requests).
  void defer(std::function<void()> task) { schedule(Clock::now(), std::move(task)); }

  // Pumps until `done()` holds or the deadline passes; returns done()'s last value. This is
  // the only way time passes for the suite's CoAP side.
  bool await(const std::function<bool()>& done, const Deadline& deadline);
  // One round: waits up to `max_wait` for I/O or a timer, then processes everything ready.
  void pump(Duration max_wait);
  // Pumps for a fixed time (for "nothing must happen during X" checks).
  void run_for(Duration duration);

 private:
  std::thread::id owner_;
  std::vector<coap_context_t*> contexts_;
  std::map<int, std::function<void()>> watched_;
  struct Timer {
    Clock::time_point when;
    std::function<void()> task;
  };
  std::map<TimerId, Timer> timers_;
  TimerId next_timer_ = 1;
  bool pumping_ = false;
  // pump()'s scratch, kept so that a pump allocates nothing (pump is not re-entrant).
  std::vector<pollfd> fds_;
  std::vector<coap_context_t*> processing_;

  void run_due_timers();
  // Waits up to `timeout_ms` for the context's epoll descriptor and hands what is ready to
  // libcoap (coap_io(3)'s external loop; the context was prepared by coap_io_prepare_epoll).
  void take_ready_events(coap_context_t* ctx, int timeout_ms);
  void check_thread() const;
};

}  // namespace fc::coap
