#include "refclient/client/block1_receiver.h"

#include <algorithm>

#include <fmt/format.h>

namespace fc::refclient {

DmResponse to_response(const CoapAnswer& answer) {
  DmResponse response = DmResponse::error(answer.code_class, answer.code_detail, answer.diagnostic);
  if (answer.size1) response.size1 = *answer.size1;
  return response;
}

void Block1Receiver::reset() { last_.reset(); }

DmResponse Block1Receiver::receive(const DmRequest& request, const BlockSink& sink) {
  std::optional<std::uint64_t> total;
  if (request.size1) total = *request.size1;

  if (last_ && request.message_id && last_->message_id == request.message_id) return last_->answer;

  if (!request.block1) {
    if (!total) total = request.payload.size();
    const auto answer = sink(0, request.payload, false, total, 6);
    const auto response = answer.ok() ? DmResponse::code(2, 4) : to_response(answer);
    last_ = LastBlock{request.message_id, response};
    return response;
  }

  const BlockOption block = *request.block1;
  const std::uint64_t offset = block.offset();
  const std::size_t size = request.payload.size();
  if (block.more && size != block.size()) {
    reset();
    return DmResponse::error(
        4, 0, fmt::format("Block1 #{} has {} bytes, but a non-final block of SZX {} must have {}", block.num, size,
                          block.szx, block.size()));
  }
  const auto answer = sink(offset, request.payload, block.more, total, block.szx);
  if (!answer.ok()) {
    reset();
    auto failure = to_response(answer);
    last_ = LastBlock{request.message_id, failure};
    return failure;
  }

  DmResponse response = DmResponse::code(2, block.more ? 31 : 4);
  BlockOption echo = block;
  if (answer.block_szx) echo.szx = std::clamp(*answer.block_szx, 0, block.szx);
  response.block1 = echo;

  last_ = LastBlock{request.message_id, response};
  return response;
}

}  // namespace fc::refclient
