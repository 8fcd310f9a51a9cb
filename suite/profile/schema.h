// The profile schema: which keys each section has, their types, ranges and the rules that tie
// sections together. One reader per section; each reads every key it knows, then reports the
// keys it does not know.
#pragma once

#include "suite/profile/map_reader.h"
#include "suite/profile/problem.h"
#include "suite/profile/profile.h"
#include "suite/profile/source_node.h"

namespace fc::profile {

// `root` is the merged map of all files; every problem found is appended to `problems`.
Profile read_schema(const SourceNode& root, ProfileProblems& problems);

namespace schema {
// Sections that depend on others take them already read.
void read_device(MapReader& root, Device& out);
void read_server(MapReader& root, Server& out);
void read_bootstrap(MapReader& root, const Server& server, Bootstrap& out);
void read_repository(MapReader& root, const Server& server, Repository& out);
void read_timing(MapReader& root, Timing& out);
void read_capabilities(MapReader& root, const Device& device, const Repository& repository, Capabilities& out);
void read_packages(MapReader& root, const Capabilities& capabilities, Packages& out);
void read_adapter(MapReader& root, Adapter& out);
void read_faults(MapReader& root, const Adapter& adapter, Faults& out);
// {install_time} in the adapter needs timing.install_time (its values). The values without the
// placeholder are allowed: an including profile may start the device its own way.
void check_install_time_placeholder(MapReader& root, const Adapter& adapter, const Timing& timing);
}  // namespace schema

}  // namespace fc::profile
