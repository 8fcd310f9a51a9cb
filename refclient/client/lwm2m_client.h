// The reference client process: one libcoap context and one session to the LwM2M server (UDP,
// DTLS, TCP or TLS by the --server scheme), the objects /1 /3 /4 /5 served on that session,
// registration upkeep, Observe notifications, and a single-threaded poll() loop that also
// drives the firmware object.
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
#include "refclient/client/send_reporter.h"
#include "refclient/client/server_object.h"
#include "refclient/security/coap_client_security.h"

namespace fc::refclient {

struct RunOutcome {
  int exit_code = 0;
  bool restart = false;  // the caller should re-exec the process (Reboot or firmware Update)
  bool install = false;  // the restart installs a firmware Update (not a Reboot of /3/0/4)
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
  static int on_event(coap_session_t* session, coap_event_t event);

  void open_session();
  // Opens session_ to the server; false (with the reason logged) when libcoap refuses.
  bool connect();
  // A new session, hence a new (D)TLS handshake or TCP connection: the old one is closed first.
  void reconnect();
  // The session failed or closed (handshake refused, connection lost): the exchange in flight
  // fails, and a registered client registers again on a new session.
  void session_lost(const std::string& what);
  void add_resources();
  void add_resource(const lwm2m::Path& path);
  void serve(const coap_session_t* session, const coap_pdu_t* request, coap_pdu_t* response);
  void changed(const lwm2m::Path& resource);

  void send_registration(const RegistrationRequest& request, Clock::time_point now);
  // Builds and sends the request; it must be answered by `deadline`.
  void transmit_registration(const RegistrationRequest& request, Clock::time_point deadline);
  // Over TCP/TLS only once the CSM exchange is done: libcoap 4.3.1 would otherwise block in
  // coap_send (up to 5 s, running a nested I/O loop) for the first request of a session.
  bool session_ready() const;
  void registration_answered(const coap_pdu_t* response);
  void registration_failed(const std::string& why);

  // Queue mode: registered, nothing in flight and the awake window after the last Register or
  // Update over: the socket is left unread and nothing is sent.
  bool asleep(Clock::time_point now) const;
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
  SendReporter sends_;

  std::unique_ptr<CoapClientSecurity> security_;  // outlives session_, which points into it
  coap_proto_t proto_ = COAP_PROTO_UDP;
  coap_address_t server_address_{};
  coap_context_t* context_ = nullptr;
  coap_session_t* session_ = nullptr;
  bool session_used_ = false;  // a request was sent (or is waiting to be) on session_
  std::optional<RegistrationRequest> deferred_;  // waits for session_ready(); pending_ holds its deadline
  std::map<lwm2m::Path, coap_resource_t*> resources_;
  std::optional<PendingRequest> pending_;
  int stop_fd_ = -1;
  bool stop_requested_ = false;
  bool restart_requested_ = false;
  bool install_requested_ = false;  // the restart was asked for by the firmware object
  Clock::time_point awake_until_{};  // queue mode: end of the window after the last Register/Update
  Clock::time_point last_wake_{};    // queue mode: when that Register/Update was answered
};

}  // namespace fc::refclient
