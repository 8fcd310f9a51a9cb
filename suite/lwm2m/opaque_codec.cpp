// application/octet-stream (TS Core §7.4.2): the bytes of one opaque resource, nothing else.
#include "suite/lwm2m/codec.h"

namespace fc::lwm2m {
namespace {

[[noreturn]] void fail(const std::string& problem) {
  throw CodecError(ContentFormat::Opaque, 0, problem);
}

void expect_single_value_path(const Path& base) {
  if (!base.is_resource() && !base.is_resource_instance()) {
    fail("an opaque payload carries one resource or resource instance, not " + base.str());
  }
}

}  // namespace

Records decode_opaque(const Path& base, ByteView payload) {
  expect_single_value_path(base);
  return {Record{base, Value(Bytes(payload.begin(), payload.end()))}};
}

Bytes encode_opaque(const Path& base, const Records& records) {
  expect_single_value_path(base);
  if (records.size() != 1 || records.front().path != base) {
    fail("an opaque payload needs exactly one record at " + base.str() + ", got " +
         std::to_string(records.size()));
  }
  const auto& storage = records.front().value.storage();
  if (const auto* bytes = std::get_if<Bytes>(&storage)) return *bytes;
  if (const auto* raw = std::get_if<Value::RawTlv>(&storage)) return raw->bytes;
  fail(base.str() + " holds " + records.front().value.describe() + ", not opaque data");
}

}  // namespace fc::lwm2m
