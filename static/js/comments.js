// Reply in place: move the comment form under the comment being answered.
// Without JavaScript, each "Reply" link loads the page with ?reply=<id> and the form below.
(function () {
  "use strict";
  var form = document.getElementById("comment-form");
  if (!form) return;
  var home = form.parentNode;
  var next = form.nextSibling;
  var heading = document.getElementById("comment-form-heading");
  var cancel = form.querySelector(".comment-form-replying");
  var parent = form.querySelector("input[name=parent]");

  function replyTo(link) {
    var comment = document.getElementById("comment-" + link.dataset.comment);
    if (!comment || !parent) return false;
    comment.querySelector("article").after(form);
    parent.value = link.dataset.comment;
    heading.textContent = "Reply to " + link.dataset.author;
    cancel.hidden = false;
    form.querySelector("input[name=name]").focus();
    return true;
  }

  function putBack() {
    home.insertBefore(form, next);
    parent.value = "";
    heading.textContent = heading.dataset.heading;
    cancel.hidden = true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.comment-reply, a.comment-cancel-reply");
    if (!link) return;
    if (link.classList.contains("comment-reply") ? replyTo(link) : (putBack(), true)) {
      event.preventDefault();
    }
  });
})();
