// The Firmware Update object as a resource set: what a Read shows and which operations each
// resource allows (TS Core E.6, reference §1 and §3.3).
#include <variant>

#include "fixtures/fota_case.h"
#include "suite/lwm2m/codec.h"

namespace fc::fixtures {
namespace {

namespace code = coap::code;

using lwm2m::firmware::describe_state;
using lwm2m::firmware::describe_update_result;

class FirmwareObject : public FotaCase {
 protected:
  // The integer a Read carries at `path`; nullopt with a finding when it is absent.
  std::optional<std::int64_t> value_in(const server::DmResponse& read, const lwm2m::Path& path) {
    auto value = read.value(path);
    if (!expect_that(value.has_value(), read.request, path.str() + " in the answer (mandatory)", read.describe()))
      return std::nullopt;
    return value->as_int();
  }
};

// ETS 751: Read /5/0 answers 2.05 with State 0 in Idle, the Update Result the device holds
// (0 on a fresh device; whether a reset clears a stale one is FU-PULL-RESET-756's question),
// and the delivery method.
FOTA_CASE(FirmwareObject, ReadInstanceInIdle,
          id("FU-OBJ-751"), ets(751), level(Level::Must), clause("TS Core E.6; ETS 751"),
          requirement("Read /5/0 in Idle answers 2.05 with State 0, the current Update Result and Delivery Method")) {
  auto response = device().read(res::Instance);
  if (!expect_code(response, {code::Content})) return;
  if (!expect_that(!response.decode_error, "Read /5/0", "a payload that decodes", response.decode_error.value_or("")))
    return;
  auto state = value_in(response, res::State);
  if (!state) return;
  expect_that(*state == to_int(State::Idle), "Read /5/0", describe_state(to_int(State::Idle)), describe_state(*state));
  auto in_read = value_in(response, res::UpdateResult);
  if (!in_read) return;
  expect_that(*in_read >= 0 && *in_read <= 9, "Read /5/0", "an Update Result 0..9", describe_update_result(*in_read));
  expect_result_unchanged();
  auto delivery = value_in(response, res::DeliveryMethod);
  if (!delivery) return;
  expect_that(*delivery >= 0 && *delivery <= 2, "Read /5/0", "Delivery Method /5/0/9 0, 1 or 2",
              "Delivery Method " + std::to_string(*delivery));
  expect_that(!response.value(res::Package), "Read /5/0", "no Package /5/0/0 (write-only)",
              "Package /5/0/0 in the answer");
}

// Reference §3.3 (Wakaama, Anjay; TS 1.0 response table): Package is write-only.
FOTA_CASE(FirmwareObject, ReadOfPackageIsRefused,
          id("FU-OBJ-001"), level(Level::Must), clause("TS Core E.6 (Package: W); reference 3.3"),
          requirement("Read /5/0/0 (write-only Package) answers 4.05 Method Not Allowed")) {
  expect_code(device().read(res::Package), {code::MethodNotAllowed});
}

// Reference §3.3 (ETS 256 analogue): State is read-only.
FOTA_CASE(FirmwareObject, WriteOfStateIsRefused,
          id("FU-OBJ-002"), level(Level::Must), clause("TS Core E.6 (State: R); ETS 256 analogue"),
          requirement("Write /5/0/3 (read-only State) answers 4.05 and State stays 0")) {
  expect_code(device().write_value(res::State, lwm2m::Value(2)), {code::MethodNotAllowed}, "with 2");
  expect_state(State::Idle);
}

// Reference §3.3 (ETS 256 analogue), TS Core E.6 (operations R): every single-value read-only
// resource of /5/0 refuses a Write with 4.05 and keeps its value. An optional one the device
// lacks (PkgName, PkgVersion: a Read gets 4.04) may answer the Write 4.04 as well.
FOTA_CASE(FirmwareObject, WritesToReadOnlyResourcesAreRefused,
          id("FU-OBJ-003"), level(Level::Must), clause("TS Core E.6 (resources 5, 6, 7, 9: R); reference 3.3"),
          requirement("A Write of /5/0/5 (Update Result), /5/0/6 (PkgName), /5/0/7 (PkgVersion) or /5/0/9 (Delivery "
                      "Method) answers 4.05 and leaves the value as it was")) {
  const std::pair<const lwm2m::Path*, lwm2m::Value> writes[] = {
      {&res::UpdateResult, lwm2m::Value(1)},
      {&res::PkgName, lwm2m::Value(std::string("fotacheck"))},
      {&res::PkgVersion, lwm2m::Value(std::string("9.9.9"))},
      {&res::DeliveryMethod, lwm2m::Value(2)},
  };
  for (const auto& [path, value] : writes) {
    const auto before = device().read(*path);
    const bool absent = before.is(code::NotFound);
    if (!absent && !expect_code(before, {code::Content}, "(before the Write)")) continue;
    const auto written = device().write_value(*path, value);
    if (absent) {
      expect_code(written, {code::MethodNotAllowed, code::NotFound}, "(not implemented: a Read got 4.04)");
      continue;
    }
    expect_code(written, {code::MethodNotAllowed}, "with " + value.as_string());
    // The bodies compared as sent: a string resource in text/plain has no type to decode by.
    const auto after = device().read(*path);
    auto body = [](const server::DmResponse& r) { return std::string(r.payload.begin(), r.payload.end()); };
    expect_equal("Read " + path->str() + " after the refused Write", body(before),
                 after.is(code::Content) ? body(after) : after.describe());
  }
}

// ETS 772; reference §3.2 rule 3: Update is executable only in Downloaded.
FOTA_CASE(FirmwareObject, UpdateInIdleIsRefused,
          id("FU-SM-772"), ets(772), level(Level::Must), clause("TS Core E.6.1; ETS 772"),
          requirement("Execute /5/0/2 in Idle answers 4.05 and leaves State 0 and Update Result unchanged")) {
  expect_code(execute_update(), {code::MethodNotAllowed});
  expect_state(State::Idle);
  expect_result_unchanged();
}

// TS Core E.6: object 5 has one instance and only /5/0/2 (and /5/0/10) to execute; TS Core 5.4
// (Execute: 4.05 "target not allowed"; Create on an instance that exists: 4.00; Delete: 4.05);
// reference §3.3 (Execute on the object or instance, Delete /5/0: 4.05), ETS 685 (Delete /3/0:
// 4.05) by analogy. An Execute of /5/0 is on the wire an empty POST, which a device may also
// refuse as a bad Write (4.00). A refused request changes nothing.
FOTA_CASE(FirmwareObject, OperationsTheObjectDoesNotHaveAreRefused,
          id("FU-OBJ-004"), level(Level::Must),
          clause("TS Core E.6 (object 5: single instance, resource 8: R), 5.4; reference 3.3; ETS 685 analogue"),
          requirement("Execute on /5 and /5/0 answers 4.05 (or 4.00), Delete /5/0 answers 4.05, Create on /5 answers "
                      "4.00 or 4.05 and a Write of /5/0/8 answers 4.05; State stays 0, Update Result as it was, and no "
                      "/5/1 appears")) {
  const lwm2m::Path object{5};
  expect_code(device().execute(object), {code::MethodNotAllowed, code::BadRequest});
  expect_code(device().execute(res::Instance), {code::MethodNotAllowed, code::BadRequest});
  expect_code(device().remove(res::Instance), {code::MethodNotAllowed});
  // Create /5/1 (TLV: instance 1 holding Package URI "x"), by POST to the object.
  const Bytes instance_1{0x03, 0x01, 0xC1, 0x01, 'x'};
  server::WriteOptions create;
  create.partial_update = true;
  expect_code(device().write_raw(object, static_cast<std::uint16_t>(lwm2m::ContentFormat::Tlv), instance_1, create),
              {code::BadRequest, code::MethodNotAllowed}, "(Create of /5/1 on a single-instance object)");
  // /5/0/8 is multiple: written in the format for several values, so only read-only refuses it.
  const auto protocols = device().write(res::ProtocolSupport, {lwm2m::Record{res::ProtocolSupport.child(0), lwm2m::Value(0)}});
  if (device().read(res::ProtocolSupport).is(code::NotFound))
    expect_code(protocols, {code::MethodNotAllowed, code::NotFound}, "(optional /5/0/8 not implemented: 4.04)");
  else
    expect_code(protocols, {code::MethodNotAllowed}, "(Protocol Support is read-only)");
  expect_code(device().read(lwm2m::Path{5, 1}), {code::NotFound}, "(after the refused Create)");
  expect_state(State::Idle);
  expect_result_unchanged();
}

// TS Core E.6: PkgName (/5/0/6) and PkgVersion (/5/0/7) are optional Strings of 0..255 bytes.
// A Read in text/plain carries no type; so each typed format the device registers (ct) is read
// too, where a number or boolean shows a wrong type. TLV carries no type either (bytes).
FOTA_CASE(FirmwareObject, PackageNameAndVersionAreStrings,
          id("FU-OBJ-PKGNAME"), level(Level::Must), clause("TS Core E.6 (resources 6, 7: String, 0..255 bytes)"),
          requirement("Read /5/0/6 and /5/0/7 answer 2.05 with at most 255 bytes (or 4.04: optional), and in every "
                      "typed format the device registers a Read of /5/0 carries them as Strings")) {
  for (const auto* path : {&res::PkgName, &res::PkgVersion}) {
    const auto read = device().read(*path);
    if (read.is(code::NotFound)) continue;
    if (!expect_code(read, {code::Content})) continue;
    expect_that(read.payload.size() <= 255, read.request, "a String of at most 255 bytes",
                std::to_string(read.payload.size()) + " bytes");
  }
  std::vector<std::optional<lwm2m::ContentFormat>> formats{std::nullopt};  // the server's choice first
  if (const auto* reg = run().server().registry().find_by_endpoint(session().endpoint()))
    for (auto number : reg->objects.content_formats) {
      const auto format = static_cast<lwm2m::ContentFormat>(number);
      if (format != lwm2m::ContentFormat::Tlv && format != lwm2m::ContentFormat::Text &&
          format != lwm2m::ContentFormat::Opaque && format != lwm2m::ContentFormat::LinkFormat &&
          lwm2m::has_codec(format))
        formats.emplace_back(format);
    }
  for (const auto& format : formats) {
    const auto read = format ? device().read(res::Instance, format) : device().read(res::Instance);
    if (!expect_code(read, {code::Content})) continue;
    for (const auto* path : {&res::PkgName, &res::PkgVersion}) {
      const auto value = read.value(*path);
      if (!value) continue;
      const auto& v = value->storage();
      const bool string_like = std::holds_alternative<std::string>(v) || std::holds_alternative<Bytes>(v) ||
                               std::holds_alternative<lwm2m::Value::RawTlv>(v);
      expect_that(string_like, read.request, path->str() + " as a String", value->describe());
    }
  }
}

}  // namespace
}  // namespace fc::fixtures
