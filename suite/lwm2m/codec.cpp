// Choosing the codec for a Content-Format.
#include "suite/lwm2m/codec.h"

namespace fc::lwm2m {

bool has_codec(ContentFormat format) {
  switch (format) {
    case ContentFormat::Text:
    case ContentFormat::Opaque:
    case ContentFormat::Tlv:
    case ContentFormat::SenmlJson:
    case ContentFormat::SenmlCbor:
    case ContentFormat::LwM2mJson:
    case ContentFormat::LwM2mCbor:
      return true;
    default:
      return false;
  }
}

Records decode(ContentFormat format, const Path& base, ByteView payload) {
  switch (format) {
    case ContentFormat::Text:
      return decode_text(base, payload);
    case ContentFormat::Opaque:
      return decode_opaque(base, payload);
    case ContentFormat::Tlv:
      return decode_tlv(base, payload);
    case ContentFormat::SenmlJson:
      return decode_senml_json(base, payload);
    case ContentFormat::SenmlCbor:
      return decode_senml_cbor(base, payload);
    case ContentFormat::LwM2mJson:
      return decode_lwm2m_json(base, payload);
    case ContentFormat::LwM2mCbor:
      return decode_lwm2m_cbor(base, payload);
    default:
      throw CodecError(format, 0, "unsupported");
  }
}

Bytes encode(ContentFormat format, const Path& base, const Records& records) {
  switch (format) {
    case ContentFormat::Text:
      return encode_text(base, records);
    case ContentFormat::Opaque:
      return encode_opaque(base, records);
    case ContentFormat::Tlv:
      return encode_tlv(base, records);
    case ContentFormat::SenmlJson:
      return encode_senml_json(base, records);
    case ContentFormat::SenmlCbor:
      return encode_senml_cbor(base, records);
    case ContentFormat::LwM2mJson:
      return encode_lwm2m_json(base, records);
    case ContentFormat::LwM2mCbor:
      return encode_lwm2m_cbor(base, records);
    default:
      throw CodecError(format, 0, "unsupported");
  }
}

}  // namespace fc::lwm2m
