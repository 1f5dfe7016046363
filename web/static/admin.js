// The staff console's small enhancements; every form also works without this script.

// Deleting asks first.
for (const form of document.querySelectorAll("form[data-confirm]")) {
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
}

// Files dropped on the upload area go into its file input.
const drop = document.getElementById("drop");
const input = document.getElementById("files");
if (drop && input) {
  for (const name of ["dragenter", "dragover"]) {
    drop.addEventListener(name, (event) => {
      event.preventDefault();
      drop.classList.add("over");
    });
  }
  for (const name of ["dragleave", "drop"]) {
    drop.addEventListener(name, () => drop.classList.remove("over"));
  }
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    if (event.dataTransfer?.files.length) {
      input.files = event.dataTransfer.files;
      input.dispatchEvent(new Event("change"));
    }
  });
}

// A rebuild in progress is followed here until it ends; the page then reloads to list the new index.
const status = document.getElementById("reindex-status");
if (status && status.dataset.state === "running") {
  const poll = async () => {
    const reply = await fetch("/admin/reindex/status", { credentials: "same-origin" });
    if (!reply.ok) {
      return;
    }
    const progress = await reply.json();
    if (progress.state === "running") {
      status.textContent = `${status.textContent.split(":")[0]}: ${progress.stage} (${progress.seconds} s)`;
      window.setTimeout(poll, 1000);
    } else {
      window.location.reload();
    }
  };
  window.setTimeout(poll, 1000);
}

// After an upload, the result is where focus goes, so a screen reader hears it.
document.getElementById("upload-result")?.focus();
