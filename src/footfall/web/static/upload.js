// The upload form of footfall's home page, enhanced: a drop zone, one request per file to
// the JSON API (so each file has its own progress bar and its own result), and each file's
// result or error listed under the form. It is a file served by the app, so the page's
// Content-Security-Policy (script-src 'self', connect-src 'self') allows it and nothing
// inline. Without it the form posts to /upload as a plain form and the answer is a page.
"use strict";

(() => {
  const form = document.getElementById("upload");
  const zone = document.getElementById("drop-zone");
  const list = document.getElementById("upload-results");
  if (!form || !zone || !list || !window.FormData || !window.XMLHttpRequest) {
    return;
  }
  const input = form.querySelector("input[type=file]");
  const athlete = form.querySelector("select[name=athlete]");
  const token = form.querySelector("input[name=csrf]").value;
  const maxBytes = Number(form.dataset.maxBytes) || Infinity;
  // files on the wire at once: the server analyses them in parallel anyway, and a browser
  // keeps about six connections per host for everything else [heuristic]
  const AT_ONCE = 2;
  const OUTCOMES = {
    session: "stored: a new session",
    same_run: "stored: the same run as another file, which holds the session",
    known: "already known",
    not_run: "not a run",
    failed: "failed",
  };
  const STORED_AS = {
    session: "a session",
    same_run: "the same run as another file",
    not_run: "not a run",
    failed: "it failed before",
    pending: "being analysed",
  };
  const queue = [];
  let running = 0;
  let stored = 0; // sessions stored since the page was loaded

  function element(tag, className, text) {
    const made = document.createElement(tag);
    if (className) {
      made.className = className;
    }
    if (text !== undefined) {
      made.textContent = text; // never innerHTML: names and reasons come from the user
    }
    return made;
  }

  function row(file) {
    const item = element("li", "upload");
    item.dataset.state = "waiting";
    item.dataset.file = file.name;
    const bar = element("progress");
    bar.max = 100;
    bar.value = 0;
    const status = element("span", "upload-status", "waiting");
    const results = element("ul", "upload-files");
    item.append(element("span", "upload-name", file.name), " ", bar, " ", status, results);
    list.append(item);
    return { item, bar, status, results };
  }

  function describe(entry) {
    const item = element("li", "upload-file");
    item.dataset.outcome = entry.outcome;
    let text = OUTCOMES[entry.outcome] || entry.outcome;
    if (entry.outcome === "known" && entry.stored_as) {
      text += ` (${STORED_AS[entry.stored_as] || entry.stored_as})`;
    }
    if (entry.reason) {
      text += `: ${entry.reason}`;
    }
    item.append(element("span", "upload-path", entry.path), " — ", element("span", "", text));
    if (entry.id) {
      const link = element("a", "", "open the report");
      link.href = `/sessions/${encodeURIComponent(entry.id)}/report`;
      item.append(" ", link);
    }
    return item;
  }

  function finish(view, state, text, entries) {
    view.item.dataset.state = state;
    view.item.dataset.outcome = entries.length ? entries[0].outcome : "error";
    view.status.textContent = text;
    view.status.className = state === "done" ? "upload-status done" : "upload-status problem";
    for (const entry of entries) {
      view.results.append(describe(entry));
    }
  }

  function answered(xhr, view) {
    const body = xhr.response && typeof xhr.response === "object" ? xhr.response : {};
    const entries = Array.isArray(body.files) ? body.files : [];
    if (xhr.status === 200 || xhr.status === 201) {
      const count = body.sessions || 0;
      const said = count === 1 ? "1 new session" : `${count} new sessions`;
      finish(view, "done", count ? said : "nothing new", entries);
      stored += count;
    } else if (xhr.status === 403 && /sign in/.test(body.detail || "")) {
      finish(view, "error", "your session has ended: reload the page and sign in", []);
    } else {
      finish(view, "error", body.detail || `the server answered ${xhr.status}`, entries);
    }
  }

  function send(job) {
    const { file, view, target } = job;
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/athletes/${encodeURIComponent(target)}/uploads`);
    xhr.setRequestHeader("X-CSRF-Token", token);
    xhr.responseType = "json";
    view.item.dataset.state = "uploading";
    view.status.textContent = "uploading";
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) {
        view.bar.value = Math.round((100 * event.loaded) / event.total);
      }
    });
    xhr.upload.addEventListener("load", () => {
      // every byte is sent: the server stores the file, then analyses it
      view.bar.value = 100;
      view.item.dataset.state = "analysing";
      view.status.textContent = "stored, analysing";
    });
    xhr.addEventListener("load", () => answered(xhr, view));
    xhr.addEventListener("error", () => {
      finish(view, "error", "the upload did not reach the server (is it still running?)", []);
    });
    xhr.addEventListener("loadend", () => {
      running -= 1;
      next();
    });
    const data = new FormData();
    data.append("file", file, file.name);
    xhr.send(data);
  }

  function next() {
    while (running < AT_ONCE && queue.length) {
      running += 1;
      send(queue.shift());
    }
    if (!running && !queue.length && stored && !document.getElementById("upload-reload")) {
      // the athletes table above was drawn before these sessions existed
      const note = element("p", "upload-reload");
      note.id = "upload-reload";
      const link = element("a", "", "Reload the page");
      link.href = window.location.pathname;
      note.append(link, " to see the new sessions in the table and the season.");
      list.after(note);
    }
  }

  function enqueue(files) {
    const target = athlete.value;
    for (const file of Array.from(files)) {
      const view = row(file);
      if (file.size > maxBytes) {
        const limit = Math.floor(maxBytes / (1024 * 1024));
        finish(view, "error", `larger than the upload limit (${limit} MB)`, []);
      } else {
        queue.push({ file, view, target });
      }
    }
    next();
  }

  zone.hidden = false;
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const chosen = Array.from(input.files || []);
    input.value = "";
    enqueue(chosen);
  });
  for (const name of ["dragenter", "dragover"]) {
    zone.addEventListener(name, (event) => {
      event.preventDefault();
      zone.classList.add("over");
    });
  }
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("over");
    if (event.dataTransfer && event.dataTransfer.files.length) {
      enqueue(event.dataTransfer.files);
    }
  });
  // a file dropped beside the zone would make the browser leave the page to show it
  for (const name of ["dragover", "drop"]) {
    window.addEventListener(name, (event) => event.preventDefault());
  }
})();
