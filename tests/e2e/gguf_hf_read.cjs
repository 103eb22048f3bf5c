// Reads GGUF files with huggingface.js's parser (@huggingface/gguf, see mk/gguf.mk) and prints
// what it found as JSON, for tests/e2e/gguf_hf_crosscheck.py. Not executable: run by node.
//   node gguf_hf_read.cjs FILE...                 parse and print
//   node gguf_hf_read.cjs --rewrite IN OUT        re-serialise IN's metadata with huggingface.js's
//                                                 writer (buildGgufHeader), adding two keys and
//                                                 renaming the model, then append IN's tensor data
const fs = require("fs");
const { gguf, GGMLQuantizationType, GGUFValueType, buildGgufHeader } = require("@huggingface/gguf");

const plain = (v) => (typeof v === "bigint" ? Number(v) : Array.isArray(v) ? v.map(plain) : v);

async function rewrite(src, dst) {
  const r = await gguf(src, { allowLocalFile: true, typedMetadata: true });
  const md = { ...r.typedMetadata };
  md["general.name"] = { type: GGUFValueType.STRING, value: "rewritten by huggingface.js" };
  md["hf.added_u32"] = { type: GGUFValueType.UINT32, value: 4242 };
  md["hf.added_f64s"] = { type: GGUFValueType.ARRAY, subType: GGUFValueType.FLOAT64, value: [0.25, -8.5] };
  md.kv_count = { type: md.kv_count.type, value: BigInt(Object.keys(md).length - 3) };
  const bytes = fs.readFileSync(src);
  const header = await buildGgufHeader(new Blob([bytes]), md, {
    littleEndian: r.littleEndian,
    tensorInfoByteRange: r.tensorInfoByteRange,
  });
  const head = Buffer.from(await header.arrayBuffer());
  fs.writeFileSync(dst, Buffer.concat([head, bytes.subarray(Number(r.tensorDataOffset))]));
}

(async () => {
  if (process.argv[2] === "--rewrite") return rewrite(process.argv[3], process.argv[4]);
  const out = [];
  for (const path of process.argv.slice(2)) {
    const r = await gguf(path, { allowLocalFile: true, typedMetadata: true, computeParametersCount: true });
    const md = {};
    for (const [k, v] of Object.entries(r.typedMetadata)) md[k] = { type: v.type, value: plain(v.value) };
    out.push({
      path,
      metadata: md,
      parameterCount: r.parameterCount,
      tensorDataOffset: Number(r.tensorDataOffset),
      tensors: r.tensorInfos.map((t) => ({
        name: t.name,
        type: GGMLQuantizationType[t.dtype],
        dims: t.shape.map(Number),
        offset: Number(t.offset),
      })),
    });
  }
  console.log(JSON.stringify(out));
})().catch((e) => {
  console.error(String(e));
  process.exit(1);
});
