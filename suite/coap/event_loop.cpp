#include "suite/coap/event_loop.h"

#include <coap3/coap.h>
#include <poll.h>
#include <sys/epoll.h>

#include <algorithm>
#include <stdexcept>

#include "suite/coap/runtime.h"

namespace fc::coap {

EventLoop::EventLoop() : owner_(std::this_thread::get_id()) { ensure_libcoap_started(); }
EventLoop::~EventLoop() = default;

void EventLoop::check_thread() const {
  if (std::this_thread::get_id() != owner_)
    throw std::logic_error("EventLoop used from a thread that does not own it (libcoap is not thread-safe)");
}

void EventLoop::attach(coap_context_t* context) {
  check_thread();
  if (coap_context_get_coap_fd(context) < 0)
    throw std::runtime_error("libcoap was built without epoll support; fotacheck needs it on Linux");
  contexts_.push_back(context);
}

void EventLoop::detach(coap_context_t* context) {
  contexts_.erase(std::remove(contexts_.begin(), contexts_.end(), context), contexts_.end());
}

void EventLoop::watch(int fd, std::function<void()> on_readable) {
  check_thread();
  watched_[fd] = std::move(on_readable);
}

void EventLoop::unwatch(int fd) { watched_.erase(fd); }

EventLoop::TimerId EventLoop::schedule(Clock::time_point when, std::function<void()> task) {
  TimerId id = next_timer_++;
  timers_.emplace(id, Timer{when, std::move(task)});
  return id;
}

void EventLoop::cancel(TimerId id) { timers_.erase(id); }

void EventLoop::run_due_timers() {
  // A task may schedule or cancel others: collect first, then run those still present.
  auto now = Clock::now();
  std::vector<TimerId> due;
  for (const auto& [id, timer] : timers_)
    if (timer.when <= now) due.push_back(id);
  std::sort(due.begin(), due.end(), [this](TimerId a, TimerId b) {
    return timers_.at(a).when < timers_.at(b).when || (timers_.at(a).when == timers_.at(b).when && a < b);
  });
  for (TimerId id : due) {
    auto it = timers_.find(id);
    if (it == timers_.end()) continue;
    auto task = std::move(it->second.task);
    timers_.erase(it);
    task();
  }
}

void EventLoop::pump(Duration max_wait) {
  check_thread();
  if (pumping_) throw std::logic_error("EventLoop::pump called re-entrantly (from a handler?)");
  pumping_ = true;
  struct Reset {
    bool& flag;
    ~Reset() { flag = false; }
  } reset{pumping_};

  auto wait = max_wait;
  auto now = Clock::now();
  for (const auto& [id, timer] : timers_) {
    auto until = std::chrono::duration_cast<Duration>(timer.when - now);
    wait = std::min(wait, std::max(until, Duration(0)));
  }
  coap_tick_t ticks;
  coap_ticks(&ticks);
  auto& fds = fds_;  // kept between pumps: no allocation per message
  fds.clear();
  for (auto* ctx : contexts_) {
    // Sends what is due (retransmissions, observe triggers) and tells when it next needs us.
    unsigned next = coap_io_prepare_epoll(ctx, ticks);
    if (next > 0) wait = std::min(wait, Duration(next));
    fds.push_back(pollfd{coap_context_get_coap_fd(ctx), POLLIN, 0});
  }
  for (const auto& [fd, cb] : watched_) fds.push_back(pollfd{fd, POLLIN, 0});

  // One libcoap context and no plain socket (a repository or server on its own, the usual
  // case): its epoll descriptor is waited on and read in one call, not a poll and then an
  // epoll_wait, a system call less per message.
  if (contexts_.size() == 1 && watched_.empty()) {
    take_ready_events(contexts_.front(), static_cast<int>(wait.count()));
    run_due_timers();
    return;
  }

  ::poll(fds.data(), fds.size(), static_cast<int>(wait.count()));

  // The contexts readable at the poll, before a callback below may attach or detach one.
  processing_.clear();
  for (std::size_t i = 0; i < contexts_.size(); ++i)
    if (fds[i].revents != 0) processing_.push_back(contexts_[i]);
  // Plain sockets first: what a relay forwards to a libcoap endpoint is then handled in this
  // same pass instead of the next one.
  bool forwarded = false;
  for (std::size_t i = contexts_.size(); i < fds.size(); ++i) {
    if (!(fds[i].revents & (POLLIN | POLLERR | POLLHUP))) continue;
    auto it = watched_.find(fds[i].fd);
    if (it != watched_.end()) {
      auto cb = it->second;  // the callback may unwatch itself
      cb();
      forwarded = true;
    }
  }
  // libcoap's documented external loop (coap_io(3)): the contexts were prepared above, so their
  // ready events are taken as they are. coap_io_process would prepare every context a second
  // time (a timerfd_settime per message). A relay's callback above may just have forwarded a
  // datagram to a libcoap endpoint: then every context is asked, readable at the poll or not;
  // otherwise only those that were (an epoll_wait less per idle context and message).
  if (forwarded) processing_.assign(contexts_.begin(), contexts_.end());  // a handler may attach or detach
  for (auto* ctx : processing_)
    if (std::find(contexts_.begin(), contexts_.end(), ctx) != contexts_.end()) take_ready_events(ctx, 0);
  run_due_timers();
}

void EventLoop::take_ready_events(coap_context_t* ctx, int timeout_ms) {
  epoll_event events[COAP_MAX_EPOLL_EVENTS];
  int ready = ::epoll_wait(coap_context_get_coap_fd(ctx), events, COAP_MAX_EPOLL_EVENTS, timeout_ms);
  if (ready > 0) coap_io_do_epoll(ctx, events, static_cast<size_t>(ready));
}

bool EventLoop::await(const std::function<bool()>& done, const Deadline& deadline) {
  while (!done()) {
    if (deadline.passed()) return done();
    pump(std::min(deadline.remaining(), Duration(50)));
  }
  return true;
}

void EventLoop::run_for(Duration duration) {
  Deadline deadline(duration);
  while (!deadline.passed()) pump(std::min(deadline.remaining(), Duration(50)));
}

}  // namespace fc::coap
