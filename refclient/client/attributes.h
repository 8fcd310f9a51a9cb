// Notification attributes set by Write-Attributes (TS Core §5.1.2): parsing, storage per path,
// inheritance from object to instance to resource, and the change conditions gt/lt/st.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "suite/lwm2m/link_format.h"
#include "suite/lwm2m/path.h"

namespace fc::refclient {

struct NotificationAttributes {
  std::optional<std::uint32_t> pmin;  // seconds: no notification sooner than this
  std::optional<std::uint32_t> pmax;  // seconds: a notification at least this often
  std::optional<double> gt;           // notify when the value crosses above/below
  std::optional<double> lt;
  std::optional<double> st;           // notify when the value moved at least this much
  std::optional<std::uint32_t> epmin;
  std::optional<std::uint32_t> epmax;
  bool operator==(const NotificationAttributes&) const = default;
  bool empty() const { return *this == NotificationAttributes{}; }
};

class AttributeError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// One Uri-Query of a Write-Attributes: "pmin=2" sets, a bare "pmin" removes (TS Core §5.4.4).
// Throws AttributeError naming the attribute for an unknown name or a malformed value.
struct AttributeUpdate {
  std::string name;
  std::optional<std::string> value;
};
std::vector<AttributeUpdate> parse_attribute_queries(const std::vector<std::string>& queries);

class AttributeStore {
 public:
  // Applies all queries or none; throws AttributeError.
  void apply(const lwm2m::Path& path, const std::vector<std::string>& queries);
  // Attributes attached exactly at `path`.
  NotificationAttributes at(const lwm2m::Path& path) const;
  // The attributes in force for `path`: the most specific level that sets each one wins.
  NotificationAttributes effective(const lwm2m::Path& path) const;
  // The attributes attached at `path` as link attributes, for Discover.
  std::vector<lwm2m::LinkAttribute> link_attributes(const lwm2m::Path& path) const;

 private:
  std::map<lwm2m::Path, NotificationAttributes> by_path_;
};

// Whether a numeric change from the last notified value (nullopt: none yet) to `current`
// passes the gt/lt/st conditions. True when none of them is set.
bool passes_change_conditions(const NotificationAttributes& attributes, std::optional<double> last_notified,
                              double current);

}  // namespace fc::refclient
