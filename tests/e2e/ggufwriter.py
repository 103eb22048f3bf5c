"""A small GGUF writer for tests (not executable: imported by gguf_*.py).

Written from the layout in ggml's docs/gguf.md (versions 2 and 3): header
(magic "GGUF", uint32 version, uint64 tensor count, uint64 key-value count),
key-values (gguf string key, uint32 value type, value), tensor infos (name,
uint32 n_dims, uint64 dims, uint32 ggml type, uint64 offset relative to the
data section), padding to general.alignment, then tensor data. Big-endian
files swap every number but keep the magic bytes.

Block sizes below are derived from ggml's block structs (ggml-common.h), so
the expected bytes in the tests come from the block layouts, not from
ecometer's table.
"""
import struct

QK_K = 256
# name: (id, elements per block, bytes per block: the struct fields spelled out)
GGML_TYPES = {
    "F32": (0, 1, 4),
    "F16": (1, 1, 2),
    "Q4_0": (2, 32, 2 + 32 // 2),                      # d, 4-bit quants
    "Q4_1": (3, 32, 2 + 2 + 32 // 2),                  # d, m, quants
    "Q5_0": (6, 32, 2 + 4 + 32 // 2),                  # d, qh[4], qs
    "Q5_1": (7, 32, 2 + 2 + 4 + 32 // 2),
    "Q8_0": (8, 32, 2 + 32),
    "Q8_1": (9, 32, 2 + 2 + 32),                       # d, s, qs
    "Q2_K": (10, QK_K, QK_K // 16 + QK_K // 4 + 2 + 2),  # scales, qs, d, dmin
    "Q3_K": (11, QK_K, QK_K // 8 + QK_K // 4 + 12 + 2),  # hmask, qs, scales, d
    "Q4_K": (12, QK_K, 2 + 2 + 12 + QK_K // 2),
    "Q5_K": (13, QK_K, 2 + 2 + 12 + QK_K // 8 + QK_K // 2),
    "Q6_K": (14, QK_K, QK_K // 2 + QK_K // 4 + QK_K // 16 + 2),
    "Q8_K": (15, QK_K, 4 + QK_K + QK_K // 16 * 2),      # float d, qs, int16 bsums
    "IQ2_XXS": (16, QK_K, 2 + QK_K // 8 * 2),
    "IQ2_XS": (17, QK_K, 2 + QK_K // 8 * 2 + QK_K // 32),
    "IQ3_XXS": (18, QK_K, 2 + 3 * QK_K // 8),
    "IQ1_S": (19, QK_K, 2 + QK_K // 8 + QK_K // 32 * 2),
    "IQ4_NL": (20, 32, 2 + 32 // 2),
    "IQ3_S": (21, QK_K, 2 + QK_K // 4 + QK_K // 32 + QK_K // 8 + QK_K // 64),
    "IQ2_S": (22, QK_K, 2 + QK_K // 4 + QK_K // 32 + QK_K // 32),
    "IQ4_XS": (23, QK_K, 2 + 2 + QK_K // 64 + QK_K // 2),
    "I8": (24, 1, 1),
    "I16": (25, 1, 2),
    "I32": (26, 1, 4),
    "I64": (27, 1, 8),
    "F64": (28, 1, 8),
    "IQ1_M": (29, QK_K, QK_K // 8 + QK_K // 16 + QK_K // 32),
    "BF16": (30, 1, 2),
    "TQ1_0": (34, QK_K, (QK_K - 4 * QK_K // 64) // 5 + QK_K // 64 + 2),
    "TQ2_0": (35, QK_K, QK_K // 4 + 2),
    "MXFP4": (39, 32, 1 + 32 // 2),
}

# metadata value types
U8, I8, U16, I16, U32, I32, F32, BOOL, STR, ARR, U64, I64, F64 = range(13)
_FMT = {U8: "B", I8: "b", U16: "H", I16: "h", U32: "I", I32: "i", F32: "f",
        BOOL: "?", U64: "Q", I64: "q", F64: "d"}


def tensor_bytes(type_name, dims):
    _, block, size = GGML_TYPES[type_name]
    n = 1
    for d in dims:
        n *= d
    assert dims[0] % block == 0, (type_name, dims)
    return n // block * size


class Writer:
    def __init__(self, version=3, big_endian=False, alignment=32):
        self.version = version
        self.e = ">" if big_endian else "<"
        self.alignment = alignment
        self.kvs = []       # (key, type, value)
        self.tensors = []   # (name, dims, type_name)

    def kv(self, key, vtype, value):
        self.kvs.append((key, vtype, value))
        return self

    def tensor(self, name, dims, type_name):
        self.tensors.append((name, list(dims), type_name))
        return self

    def _str(self, s):
        b = s.encode() if isinstance(s, str) else s
        return struct.pack(self.e + "Q", len(b)) + b

    def _value(self, vtype, value):
        if vtype == STR:
            return self._str(value)
        if vtype == ARR:
            etype, items = value
            out = struct.pack(self.e + "IQ", etype, len(items))
            return out + b"".join(self._value(etype, v) for v in items)
        return struct.pack(self.e + _FMT[vtype], value)

    def header_and_infos(self):
        """Bytes up to the end of the tensor infos, and the data offsets."""
        e = self.e
        out = bytearray(b"GGUF")
        out += struct.pack(e + "I", self.version)
        out += struct.pack(e + "QQ", len(self.tensors), len(self.kvs))
        for key, vtype, value in self.kvs:
            out += self._str(key) + struct.pack(e + "I", vtype) + self._value(vtype, value)
        offsets, pos = [], 0
        for name, dims, tname in self.tensors:
            offsets.append(pos)
            pos += tensor_bytes(tname, dims)
            pos += (-pos) % self.alignment
        for (name, dims, tname), off in zip(self.tensors, offsets):
            out += self._str(name) + struct.pack(e + "I", len(dims))
            out += struct.pack(e + "Q" * len(dims), *dims)
            out += struct.pack(e + "IQ", GGML_TYPES[tname][0], off)
        return bytes(out), offsets, pos

    def to_bytes(self):
        head, offsets, data_len = self.header_and_infos()
        pad = (-len(head)) % self.alignment
        # Tensor data: zeros are enough, ecometer never reads them.
        return head + b"\0" * pad + b"\0" * data_len

    def write(self, path):
        data = self.to_bytes()
        with open(path, "wb") as f:
            f.write(data)
        return data
