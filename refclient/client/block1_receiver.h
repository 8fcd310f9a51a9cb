// Block-wise Writes (RFC 7959 Block1) to a streamed resource, handled one block at a time so
// that a pushed image is never held whole: retransmission replay, block size checks, and the
// 2.31/2.04 answers that echo Block1. Whether a block follows the previous one (4.08 if not)
// is the sink's call: the firmware object owns the transfer and its deliberate faults.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "refclient/client/dm_message.h"
#include "refclient/firmware/firmware_update_object.h"

namespace fc::refclient {

class Block1Receiver {
 public:
  // Receives one block: offset in bytes, the block's bytes, whether more follow, Size1 when
  // the server announced the total, and the block's SZX.
  using BlockSink =
      std::function<CoapAnswer(std::uint64_t, ByteView, bool, std::optional<std::uint64_t>, int)>;

  // One Write request to the streamed resource, with or without Block1. The answer:
  // - a block the sink accepts: 2.31 Continue (more blocks) or 2.04 Changed, echoing Block1
  //   (with the sink's smaller SZX when it asks for one);
  // - the previous block again with the same message ID (a retransmission whose answer was
  //   lost): the previous answer, without calling the sink twice (also without Block1);
  // - a non-final block whose size differs from its SZX: 4.00;
  // - the sink's error, with Size1 when it gives one.
  DmResponse receive(const DmRequest& request, const BlockSink& sink);

  // Forgets a transfer in progress (e.g. after a restart of the object's state).
  void reset();

 private:
  struct LastBlock {
    std::optional<std::uint16_t> message_id;
    DmResponse answer;
  };
  std::optional<LastBlock> last_;
};

// Turns the firmware side's answer into a CoAP response (code, diagnostic, Size1).
DmResponse to_response(const CoapAnswer& answer);

}  // namespace fc::refclient
