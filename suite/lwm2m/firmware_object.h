// The Firmware Update object as data: its resources, States, Update Results and versions
// (TS Core E.6; reference §2). One description per firmware object, so a second one (the
// Advanced Firmware Update object /33629, several instances) is another row, not new code in
// the fixture, the oracle, the reports or the reference client.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "suite/lwm2m/path.h"

namespace fc::lwm2m::firmware {

// /5/x/3 (reference §2.1).
enum class State : std::int64_t { Idle = 0, Downloading = 1, Downloaded = 2, Updating = 3 };

// /5/x/5 (reference §2.2); 10 and 11 exist from object version 1.1 on.
enum class UpdateResult : std::int64_t {
  Initial = 0,
  Success = 1,
  NotEnoughFlash = 2,
  OutOfRam = 3,
  ConnectionLost = 4,
  IntegrityFailure = 5,
  UnsupportedPackageType = 6,
  InvalidUri = 7,
  UpdateFailed = 8,
  UnsupportedProtocol = 9,
  Cancelled = 10,
  Deferred = 11,
};

enum class ObjectVersion { V1_0, V1_1, V1_2 };

constexpr std::int64_t to_int(State s) { return static_cast<std::int64_t>(s); }
constexpr std::int64_t to_int(UpdateResult r) { return static_cast<std::int64_t>(r); }
// A value a device reported, as the enumerator it names; nullopt outside the defined range.
std::optional<State> state_from(std::int64_t value);
std::optional<UpdateResult> update_result_from(std::int64_t value, ObjectVersion version = ObjectVersion::V1_2);

// "Idle", "Downloaded"; "Integrity failure", "Update failed".
std::string_view name_of(State s);
std::string_view name_of(UpdateResult r);
std::string_view name_of(ObjectVersion v);
// "State 2 (Downloaded)", "Update Result 8 (Update failed)"; an undefined value says so.
std::string describe_state(std::int64_t value);
std::string describe_update_result(std::int64_t value);
// The largest Update Result a version defines: 9 for 1.0, 11 later (reference §2.2).
UpdateResult max_update_result(ObjectVersion version);

// The resources a case drives, by role, and where each lives in one object.
enum class Resource {
  Package, PackageUri, Update, State, UpdateResult, PkgName, PkgVersion, ProtocolSupport, DeliveryMethod,
  Cancel, Severity, LastStateChangeTime, MaximumDeferPeriod,
};
std::string_view name_of(Resource r);

struct ObjectModel {
  std::uint16_t object_id = 5;
  std::string_view name = "Firmware Update";
  // The resource id of each role (Resource order); a role the object lacks has none.
  std::optional<std::uint16_t> resource_id(Resource r) const;
  Path path(Resource r, std::uint16_t instance = 0) const;
  Path instance(std::uint16_t instance = 0) const { return Path{object_id, instance}; }
};

// The Firmware Update object /5 (TS Core E.6).
const ObjectModel& firmware_update_object();

// /5/0/x, the instance every case drives, and the Device object resources cases read.
namespace path {
inline const Path Instance{5, 0};
inline const Path Package{5, 0, 0};
inline const Path PackageUri{5, 0, 1};
inline const Path Update{5, 0, 2};
inline const Path State{5, 0, 3};
inline const Path UpdateResult{5, 0, 5};
inline const Path PkgName{5, 0, 6};
inline const Path PkgVersion{5, 0, 7};
inline const Path ProtocolSupport{5, 0, 8};
inline const Path DeliveryMethod{5, 0, 9};
inline const Path Cancel{5, 0, 10};
inline const Path Severity{5, 0, 11};
inline const Path LastStateChangeTime{5, 0, 12};
inline const Path MaximumDeferPeriod{5, 0, 13};
inline const Path FirmwareVersion{3, 0, 3};
inline const Path Reboot{3, 0, 4};
}  // namespace path

}  // namespace fc::lwm2m::firmware
