/**
 * The bytes of a `metadata` file → TSDL text: plain text (starts with `/* CTF 1.8`, or simply
 * TSDL) or packetized (packets starting with magic 0x75D11D57, in either byte order).
 *
 * Contract: no I/O. Returns the concatenated text of every packet (header and padding removed)
 * or throws a `MetadataFileError` giving the byte offset of the bad packet and what was wrong.
 * A truncated last packet keeps the text it holds and is reported through `warnings`.
 */

export const METADATA_PACKET_MAGIC = 0x75d11d57;
const HEADER_BYTES = 37;

/** The TSDL text of a metadata file and how it was stored. */
export interface MetadataText {
  text: string;
  packetized: boolean;
  /** Byte order of the metadata packet headers (packetized only). */
  byteOrder: "le" | "be" | null;
  /** UUID of the first metadata packet (packetized only). */
  uuid: string | null;
  warnings: Array<{ offset: number; message: string }>;
}

/** A structural fault in a packetized metadata file, located by byte offset. */
export class MetadataFileError extends Error {
  constructor(
    readonly detail: string,
    readonly offset: number,
  ) {
    super(`${detail} (metadata byte offset ${offset})`);
    this.name = "MetadataFileError";
  }
}

/** True when the bytes start with the packetized-metadata magic in either byte order. */
export function isPacketizedMetadata(bytes: Uint8Array): boolean {
  if (bytes.length < 4) return false;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return dv.getUint32(0, true) === METADATA_PACKET_MAGIC || dv.getUint32(0, false) === METADATA_PACKET_MAGIC;
}

/** Extracts the TSDL text of a metadata file. */
export function readMetadataText(bytes: Uint8Array): MetadataText {
  if (!isPacketizedMetadata(bytes)) {
    return { text: _utf8(bytes), packetized: false, byteOrder: null, uuid: null, warnings: [] };
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = dv.getUint32(0, true) === METADATA_PACKET_MAGIC;
  const parts: Uint8Array[] = [];
  const warnings: MetadataText["warnings"] = [];
  let uuid: string | null = null;
  let off = 0;
  while (off < bytes.length) {
    if (bytes.length - off < HEADER_BYTES) {
      warnings.push({ offset: off, message: `Truncated metadata packet header (${bytes.length - off} bytes left, need ${HEADER_BYTES}); ignored` });
      break;
    }
    if (dv.getUint32(off, le) !== METADATA_PACKET_MAGIC) {
      throw new MetadataFileError(`Bad metadata packet magic 0x${dv.getUint32(off, le).toString(16)} (expected 0x75d11d57)`, off);
    }
    uuid ??= _uuid(bytes.subarray(off + 4, off + 20));
    const contentBits = dv.getUint32(off + 24, le);
    const packetBits = dv.getUint32(off + 28, le);
    const [compression, encryption, checksum] = [bytes[off + 32], bytes[off + 33], bytes[off + 34]];
    if (compression !== 0 || encryption !== 0 || checksum !== 0) {
      throw new MetadataFileError(`Compressed, encrypted or checksummed metadata packets are not supported (schemes ${compression}/${encryption}/${checksum})`, off);
    }
    if (contentBits % 8 !== 0 || packetBits % 8 !== 0 || contentBits < HEADER_BYTES * 8 || packetBits < contentBits) {
      throw new MetadataFileError(`Bad metadata packet sizes: content ${contentBits} bits, packet ${packetBits} bits`, off);
    }
    const end = off + contentBits / 8;
    if (end > bytes.length) {
      warnings.push({ offset: off, message: `Truncated metadata packet: content ends at ${end}, file ends at ${bytes.length}; kept what is there` });
      parts.push(bytes.subarray(off + HEADER_BYTES));
      break;
    }
    parts.push(bytes.subarray(off + HEADER_BYTES, end));
    off += packetBits / 8;
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const all = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return { text: _utf8(all), packetized: true, byteOrder: le ? "le" : "be", uuid, warnings };
}

// --- internal ---

function _utf8(bytes: Uint8Array): string {
  return new TextDecoder("utf-8").decode(bytes);
}

function _uuid(b: Uint8Array): string {
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
