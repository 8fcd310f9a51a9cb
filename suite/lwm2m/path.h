// An LwM2M path: /object/instance/resource/resource-instance, any prefix of it, or the root.
#pragma once

#include <compare>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace fc::lwm2m {

class Path {
 public:
  Path() = default;  // the root "/"
  Path(std::initializer_list<std::uint16_t> ids);
  explicit Path(std::vector<std::uint16_t> ids);

  // "/5/0/1", "5/0/1" or "/" ; throws CodecError (format Text) for anything else, naming the
  // offending segment. IDs are 0..65534 (65535 is reserved by the spec).
  static Path parse(std::string_view text);

  std::size_t depth() const { return ids_.size(); }
  bool is_root() const { return ids_.empty(); }
  bool is_object() const { return ids_.size() == 1; }
  bool is_instance() const { return ids_.size() == 2; }
  bool is_resource() const { return ids_.size() == 3; }
  bool is_resource_instance() const { return ids_.size() == 4; }

  // Accessors throw std::out_of_range when the path is too short.
  std::uint16_t object() const { return ids_.at(0); }
  std::uint16_t instance() const { return ids_.at(1); }
  std::uint16_t resource() const { return ids_.at(2); }
  std::uint16_t resource_instance() const { return ids_.at(3); }
  const std::vector<std::uint16_t>& ids() const { return ids_; }

  // This path with one more id appended.
  Path child(std::uint16_t id) const;
  // True when `other` is this path or below it.
  bool contains(const Path& other) const;
  // "/5/0/1"; the root is "/".
  std::string str() const;
  // Uri-Path segments: {"5","0","1"}.
  std::vector<std::string> segments() const;

  auto operator<=>(const Path&) const = default;
  bool operator==(const Path&) const = default;

 private:
  std::vector<std::uint16_t> ids_;
};

}  // namespace fc::lwm2m
