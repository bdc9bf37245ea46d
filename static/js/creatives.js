// The creative upload: drop files (or choose them), then send them in one request with a
// progress bar fed by XHR upload events (fetch has none). Without JavaScript the form posts
// as it is and the page comes back with the result.
(() => {
  const form = document.getElementById("creative-upload");
  if (!form) return;
  const input = form.querySelector("input[type=file]");
  const zone = form.querySelector(".drop-zone");
  const chosen = document.getElementById("chosen-files");
  const progress = document.getElementById("upload-progress");
  const library = document.getElementById("creative-library");
  const button = form.querySelector("button[type=submit]");

  const megabytes = (size) => size >= 1048576
    ? `${(size / 1048576).toFixed(1)} MB` : `${Math.ceil(size / 1024)} KB`;

  const listChosen = () => {
    chosen.replaceChildren(...[...input.files].map((file) => {
      const item = document.createElement("li");
      item.textContent = `${file.name} (${megabytes(file.size)})`;
      return item;
    }));
  };
  input.addEventListener("change", listChosen);

  for (const name of ["dragenter", "dragover"]) {
    zone.addEventListener(name, (event) => {
      event.preventDefault();
      zone.classList.add("dragging");
    });
  }
  for (const name of ["dragleave", "drop"]) {
    zone.addEventListener(name, () => zone.classList.remove("dragging"));
  }
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    if (!event.dataTransfer?.files?.length) return;
    input.files = event.dataTransfer.files;
    listChosen();
  });

  // A refusal: the library fragment with the reasons, or a whole error page (e.g. 413
  // before the upload is read), whose message is shown above the library.
  const showPage = (html, status) => {
    const page = new DOMParser().parseFromString(html, "text/html");
    if (html && !page.querySelector("main")) {
      // The library fragment itself, with the refusal on top (e.g. 422 naming each file).
      library.innerHTML = html;
      return;
    }
    const title = page.querySelector("main h1")?.textContent || `Upload failed (${status})`;
    const message = page.querySelector("main article p:not(.error-code)")?.textContent || "";
    const box = document.createElement("div");
    box.className = "upload-result error";
    box.id = "upload-result";
    box.setAttribute("role", "alert");
    const text = document.createElement("p");
    text.textContent = `${title}. ${message}`.trim();
    box.append(text);
    library.querySelector("#upload-result")?.remove();
    library.prepend(box);
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    // The app answers an htmx-style request with the library fragment alone.
    request.setRequestHeader("HX-Request", "true");
    request.upload.addEventListener("progress", (progressEvent) => {
      if (progressEvent.lengthComputable) {
        progress.value = Math.round((progressEvent.loaded / progressEvent.total) * 100);
      }
    });
    request.addEventListener("load", () => {
      progress.hidden = true;
      button.disabled = false;
      button.removeAttribute("aria-busy");
      const contentType = request.getResponseHeader("Content-Type") || "";
      if (request.status < 300 && contentType.startsWith("text/html")) {
        library.innerHTML = request.responseText;
        form.reset();
        chosen.replaceChildren();
      } else {
        showPage(request.responseText, request.status);
      }
    });
    request.addEventListener("error", () => {
      progress.hidden = true;
      button.disabled = false;
      button.removeAttribute("aria-busy");
      showPage("", "the connection was lost");
    });
    progress.value = 0;
    progress.hidden = false;
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    request.send(new FormData(form));
  });
})();
