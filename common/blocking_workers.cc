#include "common/blocking_workers.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status.h"

namespace rectify {

BlockingWorkers::BlockingWorkers(int threads, int max_queued, int max_queued_per_owner)
    : max_queued_(std::max(1, max_queued)),
      max_queued_per_owner_(std::max(1, max_queued_per_owner)) {
  threads = std::max(1, threads);
  threads_.reserve(threads);
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Loop(); });
}

BlockingWorkers::~BlockingWorkers() { Stop(); }

void BlockingWorkers::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    ready_.SignalAll();
  }
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

absl::Status BlockingWorkers::Submit(absl::string_view owner, absl::Time deadline, Work work) {
  std::function<void(bool)> notify;
  {
    absl::MutexLock lock(&mu_);
    if (stopping_) {
      return MakeError(absl::StatusCode::kUnavailable, "SHUTTING_DOWN",
                       "the service is shutting down; retry");
    }
    if (queued_ >= max_queued_) {
      ++refused_;
      if (!saturated_) {
        saturated_ = true;
        notify = listener_;
      }
    } else {
      auto [it, inserted] = queues_.try_emplace(owner);
      if (static_cast<int>(it->second.size()) >= max_queued_per_owner_) {
        ++refused_;
        return MakeError(absl::StatusCode::kResourceExhausted, "CALLER_BUSY",
                         absl::StrCat("you have ", max_queued_per_owner_,
                                      " calls waiting for this service; wait for their answers"));
      }
      if (it->second.empty()) turns_.push_back(it->first);
      it->second.push_back(Item{deadline, std::move(work)});
      ++queued_;
      ready_.Signal();
      return absl::OkStatus();
    }
  }
  if (notify) notify(true);
  return MakeError(absl::StatusCode::kResourceExhausted, "SERVER_BUSY",
                   absl::StrCat("more than ", max_queued_,
                                " calls are waiting for this service; retry with backoff"));
}

bool BlockingWorkers::Next(Item* item) {
  absl::MutexLock lock(&mu_);
  while (turns_.empty() && !stopping_) ready_.Wait(&mu_);
  if (turns_.empty()) return false;
  std::string owner = std::move(turns_.front());
  turns_.pop_front();
  auto it = queues_.find(owner);
  *item = std::move(it->second.front());
  it->second.pop_front();
  if (it->second.empty()) {
    queues_.erase(it);
  } else {
    turns_.push_back(std::move(owner));
  }
  --queued_;
  ++busy_;
  return true;
}

void BlockingWorkers::Loop() {
  Item item;
  while (Next(&item)) {
    absl::Status turn = absl::OkStatus();
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) {
        turn = MakeError(absl::StatusCode::kUnavailable, "SHUTTING_DOWN",
                         "the service is shutting down; retry");
      } else if (absl::Now() >= item.deadline) {
        turn = absl::DeadlineExceededError("the call's deadline passed while it waited its turn");
        ++expired_;
      }
    }
    std::move(item.work)(turn);
    item.work = nullptr;
    std::function<void(bool)> notify;
    {
      absl::MutexLock lock(&mu_);
      --busy_;
      if (saturated_ && queued_ <= max_queued_ / 2) {
        saturated_ = false;
        notify = listener_;
      }
    }
    if (notify) notify(false);
  }
}

WorkerStats BlockingWorkers::Stats() const {
  absl::MutexLock lock(&mu_);
  return WorkerStats{
      static_cast<int>(threads_.size()), busy_, queued_, expired_, refused_, saturated_};
}

void BlockingWorkers::OnSaturationChange(std::function<void(bool)> listener) {
  absl::MutexLock lock(&mu_);
  listener_ = std::move(listener);
}

}  // namespace rectify
