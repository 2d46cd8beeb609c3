// Check yourself on the page: typed answers judged in the browser, offline, with the
// notebook's own verdicts and messages. The data (digests, messages, thresholds) is generated
// at build time by running the course's checks (book_build/page_answers.py); this file only
// reads the learner's text the way Python reads an answer, normalizes it as the check's reader
// does, and looks its salted digest up. No answer is stored in clear.
"use strict";
(() => {
  const STORE = "imwn-page-checks";

  // ---- SHA-256 (synchronous: crypto.subtle needs a secure context, file:// pages lack it) --
  const K = new Uint32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
    0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
    0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
    0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
    0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2]);

  function sha256(text) {
    const data = new TextEncoder().encode(text);
    const length = ((data.length + 9 + 63) >> 6) << 6;
    const bytes = new Uint8Array(length);
    bytes.set(data);
    bytes[data.length] = 0x80;
    const view = new DataView(bytes.buffer);
    view.setUint32(length - 4, data.length * 8);
    view.setUint32(length - 8, Math.floor(data.length / 0x20000000));
    const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f,
      0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
    const w = new Uint32Array(64);
    const rotr = (x, n) => (x >>> n) | (x << (32 - n));
    for (let offset = 0; offset < length; offset += 64) {
      for (let i = 0; i < 16; i++) w[i] = view.getUint32(offset + 4 * i);
      for (let i = 16; i < 64; i++) {
        const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
        const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
      }
      let [a, b, c, d, e, f, g, hh] = h;
      for (let i = 0; i < 64; i++) {
        const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g))
          + K[i] + w[i]) >>> 0;
        const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
        hh = g; g = f; f = e; e = (d + t1) >>> 0; d = c; c = b; b = a; a = (t1 + t2) >>> 0;
      }
      [a, b, c, d, e, f, g, hh].forEach((x, i) => { h[i] = (h[i] + x) >>> 0; });
    }
    return [...h].map((x) => x.toString(16).padStart(8, "0")).join("");
  }

  // ---- Python's text forms of a value --------------------------------------------------
  // Values: {t: "none"|"bool"|"int"|"float"|"str"|"tuple"|"list", v, items}

  function exactDecimal(x) { // x > 0, finite: x = 0.digits... as d.ddd × 10^exp, exactly
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, x);
    const hi = view.getUint32(0);
    let e = (hi >>> 20) & 0x7ff;
    let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(view.getUint32(4));
    if (e === 0) e = 1; else m |= 1n << 52n;
    e -= 1075;
    const digits = e >= 0 ? (m << BigInt(e)).toString() : (m * 5n ** BigInt(-e)).toString();
    const scale = e >= 0 ? 0 : -e;
    const trimmed = digits.replace(/^0+/, "");
    return { digits: trimmed, exp: trimmed.length - 1 - scale };
  }

  function roundDigits(x, p) { // p significant digits, ties to even (Python's rounding)
    let { digits, exp } = exactDecimal(x);
    digits = digits.padEnd(p, "0");
    let kept = digits.slice(0, p);
    const rest = digits.slice(p);
    const half = rest.length && (rest[0] > "5" || (rest[0] === "5" && (/[1-9]/.test(rest.slice(1))
      || Number(kept[p - 1]) % 2 === 1)));
    if (half) {
      kept = (BigInt(kept) + 1n).toString();
      if (kept.length > p) { kept = kept.slice(0, p); exp += 1; }
    }
    return { digits: kept, exp };
  }

  function exponent(exp) {
    return `e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }

  function formatG(x, p) { // Python's f"{x:.{p}g}"
    if (Number.isNaN(x)) return "nan";
    if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
    const sign = x < 0 || Object.is(x, -0) ? "-" : "";
    if (x === 0) return `${sign}0`;
    const { digits, exp } = roundDigits(Math.abs(x), p);
    if (exp >= -4 && exp < p) {
      const text = exp >= 0
        ? `${digits.slice(0, exp + 1).padEnd(exp + 1, "0")}.${digits.slice(exp + 1)}`
        : `0.${"0".repeat(-exp - 1)}${digits}`;
      return sign + (text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text);
    }
    const mantissa = `${digits[0]}.${digits.slice(1)}`.replace(/0+$/, "").replace(/\.$/, "");
    return sign + mantissa + exponent(exp);
  }

  function floatRepr(x) { // Python's repr(float): shortest round trip
    if (Number.isNaN(x)) return "nan";
    if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
    if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
    const [mantissa, power] = Math.abs(x).toExponential().split("e");
    const digits = mantissa.replace(".", "");
    const exp = Number(power);
    const sign = x < 0 ? "-" : "";
    if (exp >= -4 && exp < 16) {
      if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
      const whole = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
      return `${sign}${whole}.${digits.slice(exp + 1) || "0"}`;
    }
    return `${sign}${digits[0]}${digits.length > 1 ? "." + digits.slice(1) : ""}${exponent(exp)}`;
  }

  function strRepr(s) {
    const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
    let out = "";
    for (const ch of s) {
      const code = ch.codePointAt(0);
      if (ch === "\\" || ch === quote) out += "\\" + ch;
      else if (ch === "\n") out += "\\n";
      else if (ch === "\r") out += "\\r";
      else if (ch === "\t") out += "\\t";
      else if (code < 0x20 || code === 0x7f) out += "\\x" + code.toString(16).padStart(2, "0");
      else out += ch;
    }
    return quote + out + quote;
  }

  function repr(value) {
    switch (value.t) {
      case "none": return "None";
      case "bool": return value.v ? "True" : "False";
      case "int": return String(value.v);
      case "float": return floatRepr(value.v);
      case "str": return strRepr(value.v);
      case "tuple": return `(${value.items.map(repr).join(", ")}${value.items.length === 1 ? "," : ""})`;
      default: return `[${value.items.map(repr).join(", ")}]`;
    }
  }

  function str(value) { return value.t === "str" ? value.v : repr(value); }

  const TYPE_NAMES = { none: "NoneType", bool: "bool", int: "int", float: "float", str: "str",
    tuple: "tuple", list: "list" };

  function describe(value) { // course_tools.feedback.describe
    let text = repr(value);
    if ([...text].length > 60) text = [...text].slice(0, 57).join("") + "...";
    return `${TYPE_NAMES[value.t]} ${text}`;
  }

  // ---- Reading what the learner typed, as a Python literal --------------------------------
  const TOKEN = /\s*(?:((?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?)|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|(\*\*|\/\/|[-+*/(),[\]])|(np\.inf|np\.nan|[A-Za-z_]\w*))/y;
  const NAMES = { None: { t: "none", typed: true }, True: { t: "bool", v: true }, False: { t: "bool", v: false },
    inf: { t: "float", v: Infinity }, nan: { t: "float", v: NaN },
    "np.inf": { t: "float", v: Infinity }, "np.nan": { t: "float", v: NaN } };
  const ESCAPES = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"' };

  function tokenize(text) {
    const tokens = [];
    TOKEN.lastIndex = 0;
    while (TOKEN.lastIndex < text.length) {
      const at = TOKEN.lastIndex;
      const match = TOKEN.exec(text);
      if (!match) {
        if (!text.slice(at).trim()) break;
        return null;
      }
      if (match[1] !== undefined) {
        const raw = match[1];
        if (/__|_$|_\.|\._|_[eE]/.test(raw) || /^0\d/.test(raw) && !/[.eE]/.test(raw)) return null;
        const number = Number(raw.replace(/_/g, ""));
        tokens.push({ value: /[.eE]/.test(raw) ? { t: "float", v: number } : { t: "int", v: number } });
      } else if (match[2] !== undefined) {
        const body = match[2].slice(1, -1).replace(/\\(.)/g, (m, c) => ESCAPES[c] ?? m);
        tokens.push({ value: { t: "str", v: body } });
      } else if (match[3] !== undefined) {
        tokens.push({ op: match[3] });
      } else if (match[4] in NAMES) {
        tokens.push({ value: NAMES[match[4]] });
      } else {
        return null;
      }
    }
    return tokens;
  }

  const numeric = (v) => v && (v.t === "int" || v.t === "float" || v.t === "bool");
  const num = (v) => (v.t === "bool" ? Number(v.v) : v.v);

  function arithmetic(op, a, b) {
    if (!numeric(a) || !numeric(b)) throw new SyntaxError("not numbers");
    const ints = a.t !== "float" && b.t !== "float";
    const x = num(a), y = num(b);
    if ((op === "/" || op === "//") && y === 0) throw new SyntaxError("division by zero");
    switch (op) {
      case "+": return { t: ints ? "int" : "float", v: x + y };
      case "-": return { t: ints ? "int" : "float", v: x - y };
      case "*": return { t: ints ? "int" : "float", v: x * y };
      case "/": return { t: "float", v: x / y };
      case "//": return { t: ints ? "int" : "float", v: Math.floor(x / y) };
      default: return { t: ints && y >= 0 ? "int" : "float", v: x ** y };
    }
  }

  function parseLiteral(text) {
    const tokens = tokenize(text);
    if (!tokens || !tokens.length) return null;
    let i = 0;
    const peek = () => (i < tokens.length ? tokens[i].op : "end");
    const expect = (op) => { if (peek() !== op) throw new SyntaxError(op); i++; };
    function sequence(close) { // items separated by commas; a comma makes a tuple
      const items = [];
      let comma = false;
      while (peek() !== close && peek() !== "end") {
        items.push(sum());
        if (peek() === ",") { i++; comma = true; } else break;
      }
      return { items, comma };
    }
    function atom() {
      const token = tokens[i++];
      if (!token) throw new SyntaxError("end");
      if (token.value) return token.value;
      if (token.op === "(") {
        const { items, comma } = sequence(")");
        expect(")");
        return items.length === 1 && !comma ? items[0] : { t: "tuple", items };
      }
      if (token.op === "[") {
        const { items } = sequence("]");
        expect("]");
        return { t: "list", items };
      }
      throw new SyntaxError(token.op);
    }
    function power() {
      const base = atom();
      if (peek() === "**") { i++; return arithmetic("**", base, unary()); }
      return base;
    }
    function unary() {
      if (peek() === "-" || peek() === "+") {
        const op = tokens[i++].op;
        const value = unary();
        if (!numeric(value)) throw new SyntaxError("unary");
        return { t: value.t === "bool" ? "int" : value.t, v: op === "-" ? -num(value) : num(value) };
      }
      return power();
    }
    function product() {
      let value = unary();
      while (["*", "/", "//"].includes(peek())) value = arithmetic(tokens[i++].op, value, unary());
      return value;
    }
    function sum() {
      let value = product();
      while (["+", "-"].includes(peek())) value = arithmetic(tokens[i++].op, value, product());
      return value;
    }
    try {
      const { items, comma } = sequence("end");
      if (i !== tokens.length || !items.length) return null;
      return items.length === 1 && !comma ? items[0] : { t: "tuple", items };
    } catch (error) {
      return null;
    }
  }

  function readAnswer(text) {
    const trimmed = text.trim();
    if (!trimmed) return { t: "none" };
    const literal = parseLiteral(trimmed);
    if (literal) return literal;
    if (/^\d+(?:\s*[x×]\s*\d+)+$/.test(trimmed)) { // "3 x 2": a shape written out
      return { t: "tuple", items: trimmed.split(/\s*[x×]\s*/).map((n) => ({ t: "int", v: Number(n) })) };
    }
    return { t: "str", v: trimmed }; // a word typed without quotes: the text itself
  }

  // ---- The checks' readers (course_tools.answers), messages from the data ----------------
  let DATA = null;

  function fill(template, value) {
    return template.split("{describe}").join(describe(value)).split("{repr}").join(repr(value))
      .split("{str}").join(str(value));
  }

  class Refusal { constructor(kind, message) { this.kind = kind; this.message = message; } }

  function refuse(reader, kind, value) {
    const template = DATA.formats[`${reader}:${kind}`];
    return new Refusal("wrong", fill(template, value));
  }

  const pythonStrip = (s) => s.replace(/^\s+|\s+$/g, "");
  const isSequence = (v) => v.t === "tuple" || v.t === "list";

  function pythonInt(item) { // int(item), or null where Python raises
    if (item.t === "int") return item.v;
    if (item.t === "bool") return Number(item.v);
    if (item.t === "float") return Number.isFinite(item.v) ? Math.trunc(item.v) : null;
    if (item.t === "str" && /^\s*[-+]?\d+(_\d+)*\s*$/.test(item.v)) return Number(item.v.replace(/_/g, ""));
    return null;
  }

  // answers._SEPARATOR: commas, '*', '×', 'x' between two axes, 'by', spaces.
  const SYMBOL_SEPARATOR = /\s*(?:,|\*|×|(?<=\w)\s*[xX]\s*(?=\w)|[\s-]+by[\s-]+|\s+)\s*/;

  const READ = {
    shape(value, field) {
      if (value.t === "int" && DATA.formats["shape:int-answer"]
          && isExpected(digest(field.part, String(value.v)), field)) {
        return refuse("shape", "int-answer", value);
      }
      if (value.t === "int" || value.t === "bool") return refuse("shape", "int", value);
      if (value.t === "str") return refuse("shape", "str", value);
      if (!isSequence(value)) return refuse("shape", "float", value);
      const sizes = value.items.map(pythonInt);
      if (sizes.some((s) => s === null)) return refuse("shape", "item", value);
      const whole = value.items.every((item, k) => item.t !== "str" && num(item) === sizes[k]);
      if (!whole) return refuse("shape", "whole", value);
      return sizes.map((s) => (Object.is(s, -0) ? 0 : s)).join(",");
    },
    number(value) {
      if (value.t === "str") return refuse("number", "str", value);
      if (value.t === "bool") return refuse("number", "bool", value);
      if (isSequence(value)) return refuse("number", value.t, value);
      if (Number.isNaN(value.v)) return refuse("number", "nan", value);
      if (!Number.isFinite(value.v)) return refuse("number", value.v > 0 ? "inf" : "-inf", value);
      return value.v;
    },
    choice(value) {
      const letter = value.t === "str"
        ? pythonStrip(pythonStrip(value.v).replace(/^[().]+|[().]+$/g, "")) : "";
      if ([...letter].length !== 1) {
        return refuse("choice", value.t === "bool" ? "int" : value.t, value);
      }
      return letter.toLowerCase();
    },
    symbols(value) { // as_symbolic_shape: one symbol or whole number per axis
      let text;
      if (value.t === "str") text = value.v;
      else if (isSequence(value) && value.items.every((a) => ["str", "int", "bool"].includes(a.t))) {
        text = value.items.map(str).join(",");
      } else {
        return refuse("symbols", value.t === "bool" ? "int" : value.t, value);
      }
      let inner = pythonStrip(text);
      const ends = inner.slice(0, 1) + inner.slice(-1);
      if (ends === "()" || ends === "[]") inner = inner.slice(1, -1);
      const sizes = pythonStrip(inner).split(SYMBOL_SEPARATOR).filter(Boolean);
      if (!sizes.length || !sizes.every((s) => /^(?:[A-Za-z]|\d+)$/.test(s))) {
        return refuse("symbols", "unreadable", { t: "str", v: text });
      }
      return sizes.map((s) => s.toUpperCase()).join(",");
    },
  };

  const digest = (part, normalized) => sha256(`${DATA.salt}:${part}:${normalized}`).slice(0, 16);
  // answers.is_expected: one digest, or a list where two forms are equally right.
  const isExpected = (d, field) => [].concat(field.expected).includes(d);

  function judgeField(field, value) {
    if (value.t === "none") { // an empty field; or None typed, which the reader may refuse
      const template = value.typed && DATA.formats[`${field.reader}:none`];
      if (template) return new Refusal("wrong", fill(template, value));
      return new Refusal("unanswered", value.typed ? DATA.headers.unanswered_note : "");
    }
    if (field.reader === "number" && isSequence(value) && value.items.every(numeric)) {
      const key = "list:" + value.items.map((v) => formatG(num(v), 6)).join(",");
      const rule = field.lists[digest(field.part, key)];
      if (rule) return new Refusal(rule.kind, rule.message);
    }
    const key = READ[field.reader](value, field);
    if (key instanceof Refusal) return key;
    if (field.reader === "number") {
      const x = key === 0 ? 0 : key;
      const range = field.line.find((r) => r.low <= x && x <= r.high);
      if (range && range.kind === "correct") return null;
      if (range && range.kind !== "reached") return new Refusal(range.kind, range.message);
    }
    if (field.expected) { // the check's own table: verdict or number_verdict
      if (field.reader === "number") {
        if (isExpected(digest(field.part, formatG(key, 6)), field)) return null;
        const hint = field.hints[digest(field.part, formatG(key, 3))];
        return new Refusal("wrong", hint ?? field.fallback);
      }
      const d = digest(field.part, key);
      if (isExpected(d, field)) return null;
      return new Refusal("wrong", field.hints[d] ?? field.fallback);
    }
    const outcome = field.table[digest(field.part, key)] ?? field.otherwise;
    return outcome.kind === "correct" ? null : new Refusal(outcome.kind, outcome.message);
  }

  function words(text) { return text.split(/\s+/).filter(Boolean).length; }

  // The verdict on one exercise: {kind, text}, as the notebook would print it.
  function judge(exercise, inputs) {
    const say = (kind, message) => ({
      kind,
      text: DATA.headers[kind].replace("{id}", exercise.id).replace("{message}", message).trimEnd(),
    });
    for (const field of exercise.fields) {
      const refusal = judgeField(field, readAnswer(inputs[field.name] ?? ""));
      if (refusal) return say(refusal.kind, refusal.message || DATA.page.unanswered);
    }
    if (exercise.after === "code") return { kind: "correct", text: `${exercise.id}: ${DATA.page.code}` };
    if (exercise.after === "prose") {
      const count = words(inputs.explanation ?? "");
      const outcome = exercise.done.words[count] ?? exercise.done.otherwise;
      return say(outcome.kind, outcome.message);
    }
    return say("correct", "");
  }

  // ---- Progress, kept in this browser only -------------------------------------------------
  function load() {
    try { return JSON.parse(localStorage.getItem(STORE)) || {}; } catch (error) { return {}; }
  }
  function save(progress) {
    try { localStorage.setItem(STORE, JSON.stringify(progress)); } catch (error) { /* private mode */ }
  }

  function showProgress() {
    const progress = load();
    for (const counter of document.querySelectorAll("[data-page-check-ids]")) {
      const ids = counter.dataset.pageCheckIds.split(" ").filter(Boolean);
      const right = ids.filter((id) => progress[id] === "correct").length;
      counter.querySelector(".page-check-count").textContent =
        DATA.page.progress.replace("{right}", right).replace("{total}", ids.length);
    }
  }

  function reset() {
    save({});
    for (const verdict of document.querySelectorAll(".page-check-verdict")) {
      verdict.textContent = "";
      verdict.removeAttribute("data-kind");
    }
    showProgress();
  }

  // ---- The page ------------------------------------------------------------------------------
  function attach(form, exercise) {
    const verdict = form.parentElement.querySelector(".page-check-verdict");
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const inputs = {};
      for (const input of form.querySelectorAll("[name]")) inputs[input.name] = input.value;
      const result = judge(exercise, inputs);
      verdict.dataset.kind = result.kind;
      verdict.textContent = result.text;
      const progress = load();
      const right = result.kind === "correct" || result.kind === "partly";
      if (right || progress[exercise.id] !== "correct") {
        progress[exercise.id] = right ? "correct" : result.kind;
      }
      save(progress);
      showProgress();
    });
    // Enter in a one-line field submits the form natively; a textarea keeps Enter for new
    // lines, and Ctrl+Enter checks.
    for (const area of form.querySelectorAll("textarea")) {
      area.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
      });
    }
  }

  // Active recall: the answer shows once the reader has tried. Typed parts (shapes, an axis)
  // are judged as the exercises' are; the rest is the reader's to compare with the answer.
  function recall(form, question) {
    const answer = form.nextElementSibling;
    if (!answer || answer.tagName !== "DETAILS") return;
    const note = form.querySelector(".recall-note");
    const verdict = form.querySelector(".page-check-verdict");
    const attempt = form.querySelector("textarea");
    // The answer stays a toggle: a reader who insists can still open it.
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const inputs = {};
      for (const input of form.querySelectorAll("input[name]")) inputs[input.name] = input.value;
      const typed = Object.values(inputs).some((text) => text.trim());
      if (!typed && !attempt.value.trim()) {
        note.textContent = DATA.page.recall_empty;
        return;
      }
      if (question && typed) {
        const result = judge(question, inputs);
        verdict.dataset.kind = result.kind;
        verdict.textContent = result.text;
      } else {
        verdict.textContent = "";
        verdict.removeAttribute("data-kind");
      }
      answer.open = true;
      note.textContent = DATA.page.recall_shown;
    });
    attempt.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
    });
  }

  function start() {
    const source = document.getElementById("page-checks-data");
    if (!source) return;
    DATA = JSON.parse(source.textContent);
    const exercises = Object.fromEntries(DATA.exercises.map((e) => [e.id, e]));
    for (const form of document.querySelectorAll("form.page-check-form")) {
      attach(form, exercises[form.dataset.exercise]);
    }
    for (const form of document.querySelectorAll("form.recall-try")) {
      recall(form, exercises[form.dataset.exercise]);
    }
    for (const button of document.querySelectorAll(".page-check-reset")) {
      button.addEventListener("click", reset);
    }
    showProgress();
  }

  window.pageChecks = { readAnswer, repr, describe, formatG, floatRepr, sha256, judge,
    get data() { return DATA; } };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
