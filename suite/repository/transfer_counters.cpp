#include "suite/repository/transfer_counters.h"

#include <algorithm>

namespace fc::repository {

TransferCounters::Tally& TransferCounters::tally(const std::string& path) { return tallies_[path]; }

void TransferCounters::open(const std::string& path, std::size_t size) {
  std::lock_guard lock(mutex_);
  Tally fresh;
  fresh.counters.size = size;
  tallies_[path] = std::move(fresh);
}

void TransferCounters::note_client(Tally& t, const std::string& client) {
  if (std::find(t.clients.begin(), t.clients.end(), client) != t.clients.end()) return;
  t.clients.push_back(client);
  t.counters.distinct_clients = t.clients.size();
}

void TransferCounters::request(const std::string& path, const std::string& client) {
  std::lock_guard lock(mutex_);
  auto& t = tally(path);
  ++t.counters.requests;
  note_client(t, client);
}

void TransferCounters::error(const std::string& path) {
  std::lock_guard lock(mutex_);
  ++tally(path).counters.errors;
}

void TransferCounters::ranged(const std::string& path) {
  std::lock_guard lock(mutex_);
  ++tally(path).counters.ranged;
}

void TransferCounters::precondition_failed(const std::string& path) {
  std::lock_guard lock(mutex_);
  ++tally(path).counters.precondition_failed;
}

void TransferCounters::unknown(const std::string& path) {
  std::lock_guard lock(mutex_);
  ++unknown_[path];
}

std::size_t TransferCounters::begin(Tally& t, const std::string& client, Transport transport, std::uint64_t offset) {
  auto& c = t.counters;
  if (offset == 0 && !c.transfers.empty()) ++c.restarts;
  if (offset > 0) ++c.resumes;
  TransferRecord record;
  record.client = client;
  record.transport = transport;
  record.first_offset = record.last_offset = record.next_offset = offset;
  record.started = Clock::now();
  c.transfers.push_back(std::move(record));
  return c.transfers.size() - 1;
}

void TransferCounters::add_bytes(Tally& t, TransferRecord& transfer, std::uint64_t offset, std::size_t length) {
  transfer.bytes += length;
  transfer.next_offset = std::max(transfer.next_offset, offset + length);
  t.counters.bytes += length;
  if (!transfer.completed && offset + length >= t.counters.size && (length > 0 || t.counters.size == 0)) {
    transfer.completed = true;
    ++t.counters.completed;
  }
}

void TransferCounters::coap_block(const std::string& path, const std::string& client, std::uint64_t offset,
                                  std::size_t length) {
  std::lock_guard lock(mutex_);
  add_block(tally(path), client, offset, length);
}

void TransferCounters::coap_block_request(const std::string& path, const std::string& client, std::uint64_t offset,
                                          std::size_t length) {
  std::lock_guard lock(mutex_);
  auto& t = tally(path);
  ++t.counters.requests;
  note_client(t, client);
  add_block(t, client, offset, length);
}

void TransferCounters::add_block(Tally& t, const std::string& client, std::uint64_t offset, std::size_t length) {
  auto& transfers = t.counters.transfers;
  // The client's latest CoAP transfer continues when this block follows on or repeats the last.
  std::size_t index = transfers.size();
  for (std::size_t i = transfers.size(); i-- > 0;) {
    if (transfers[i].client != client || transfers[i].transport != Transport::Coap) continue;
    if (offset == transfers[i].next_offset || offset == transfers[i].last_offset) index = i;
    break;
  }
  if (index == transfers.size()) index = begin(t, client, Transport::Coap, offset);
  auto& transfer = transfers[index];
  transfer.last_offset = offset;
  ++transfer.blocks;
  ++t.counters.blocks;
  add_bytes(t, transfer, offset, length);
}

std::size_t TransferCounters::http_begin(const std::string& path, const std::string& client, std::uint64_t offset) {
  std::lock_guard lock(mutex_);
  return begin(tally(path), client, Transport::Http, offset);
}

void TransferCounters::http_bytes(const std::string& path, std::size_t transfer, std::size_t length) {
  std::lock_guard lock(mutex_);
  auto& t = tally(path);
  if (transfer >= t.counters.transfers.size()) return;  // the path was published again meanwhile
  auto& record = t.counters.transfers[transfer];
  add_bytes(t, record, record.next_offset, length);
}

PackageCounters TransferCounters::counters(const std::string& path) const {
  std::lock_guard lock(mutex_);
  auto it = tallies_.find(path);
  return it == tallies_.end() ? PackageCounters{} : it->second.counters;
}

std::map<std::string, std::size_t> TransferCounters::unknown_requests() const {
  std::lock_guard lock(mutex_);
  return unknown_;
}

}  // namespace fc::repository
