// Choosing and building the adapter a profile names.
#include <cmath>

#include "adapters/device_adapter.h"
#include "adapters/hooks_adapter.h"
#include "adapters/manual_adapter.h"
#include "adapters/process_adapter.h"

namespace fc::adapters {

std::unique_ptr<DeviceAdapter> make_adapter(const profile::Profile& profile) {
  switch (profile.adapter.type) {
    case profile::AdapterType::Process: {
      // A slow emulator also boots slowly: the ready wait follows timing.scale like every deadline.
      ProcessTimeouts timeouts;
      timeouts.ready = Duration(static_cast<Duration::rep>(
          std::ceil(static_cast<double>(timeouts.ready.count()) * profile.timing.scale)));
      auto adapter = std::make_unique<ProcessAdapter>(profile.adapter.process, profile.source, timeouts);
      adapter->check_binary();
      return adapter;
    }
    case profile::AdapterType::Hooks:
      return std::make_unique<HooksAdapter>(profile.adapter.hooks);
    case profile::AdapterType::Manual:
      return ManualAdapter::on_terminal(profile.adapter.manual);
  }
  throw AdapterError("unknown adapter type in " + profile.source.string());
}

}  // namespace fc::adapters
