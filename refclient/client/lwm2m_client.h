// The reference client process: one libcoap context and one session to the LwM2M server, the
// objects /1 /3 /4 /5 served on that session, registration upkeep, Observe notifications, and
// a single-threaded poll() loop that also drives the firmware object.
#pragma once

#include <coap3/coap.h>

#include <map>
#include <memory>
#include <optional>

#include "refclient/client/attributes.h"
#include "refclient/client/client_options.h"
#include "refclient/client/connectivity_object.h"
#include "refclient/client/device_object.h"
#include "refclient/client/firmware_object_adapter.h"
#include "refclient/client/notification_scheduler.h"
#include "refclient/client/registration.h"
#include "refclient/client/request_router.h"
#include "refclient/client/server_object.h"

namespace fc::refclient {

struct RunOutcome {
  int exit_code = 0;
  bool restart = false;  // the caller should re-exec the process (Reboot or firmware Update)
};

class LwM2MClient {
 public:
  // Loads the firmware state and opens the session. Throws std::runtime_error naming what
  // failed (state directory, server address, libcoap setup).
  explicit LwM2MClient(ClientOptions options);
  ~LwM2MClient();
  LwM2MClient(const LwM2MClient&) = delete;
  LwM2MClient& operator=(const LwM2MClient&) = delete;

  // Serves until `stop_fd` becomes readable (SIGTERM/SIGINT: de-register, exit 0) or a restart
  // is requested (notifications flushed first).
  RunOutcome run(int stop_fd);

 private:
  struct PendingRequest {
    Bytes token;
    RegistrationRequest::Kind kind = RegistrationRequest::Kind::Register;
    Clock::time_point deadline;
  };

  static void on_request(coap_resource_t* resource, coap_session_t* session, const coap_pdu_t* request,
                         const coap_string_t* query, coap_pdu_t* response);
  static coap_response_t on_response(coap_session_t* session, const coap_pdu_t* sent, const coap_pdu_t* received,
                                     coap_mid_t mid);
  static void on_nack(coap_session_t* session, const coap_pdu_t* sent, coap_nack_reason_t reason, coap_mid_t mid);

  void open_session();
  void add_resources();
  void add_resource(const lwm2m::Path& path);
  void serve(const coap_pdu_t* request, coap_pdu_t* response);
  void changed(const lwm2m::Path& resource);

  void send_registration(const RegistrationRequest& request, Clock::time_point now);
  void registration_answered(const coap_pdu_t* response);
  void registration_failed(const std::string& why);

  // One turn of the loop: registration, one notification, wait at most `max_wait`, I/O, firmware.
  void iterate(Clock::duration max_wait);
  RunOutcome shut_down();
  void flush_notifications();
  // Worst case for a CON exchange with the configured transmission parameters.
  Clock::duration exchange_limit() const;

  ClientOptions options_;
  std::unique_ptr<ServerObject> server_object_;
  std::unique_ptr<DeviceObject> device_object_;
  std::unique_ptr<ConnectivityObject> connectivity_object_;
  std::unique_ptr<FirmwareObjectAdapter> firmware_object_;
  ObjectRegistry objects_;
  AttributeStore attributes_;
  RequestRouter router_;
  NotificationScheduler notifications_;
  RegistrationMachine registration_;

  coap_context_t* context_ = nullptr;
  coap_session_t* session_ = nullptr;
  std::map<lwm2m::Path, coap_resource_t*> resources_;
  std::optional<PendingRequest> pending_;
  int stop_fd_ = -1;
  bool stop_requested_ = false;
  bool restart_requested_ = false;
};

}  // namespace fc::refclient
