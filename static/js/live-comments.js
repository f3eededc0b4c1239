// On a frozen copy of a post: fetch the comments approved on the live server since the copy
// was made and show them as the theme does. On the live site itself every comment is in the
// page already, so the script does nothing there.
(function () {
  "use strict";

  var script = document.currentScript;
  var source = script && script.getAttribute("data-comments");
  var section = document.getElementById("comments");
  var heading = document.getElementById("comments-heading");
  if (!source || !section || !heading || !window.fetch) {
    return;
  }
  var url = new URL(source, document.baseURI);
  if (url.origin === window.location.origin) {
    return;
  }
  // Back from sending a comment: the live server's signed note, which only it can read.
  var note = new URLSearchParams(window.location.search).get("note");
  if (note) {
    url.searchParams.set("note", note);
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function isWebAddress(value) {
    try {
      var parsed = new URL(value);
      return parsed.protocol === "https:" || parsed.protocol === "http:";
    } catch (error) {
      return false;
    }
  }

  function authorOf(comment) {
    var author = element("span", "comment-author");
    author.id = "comment-" + comment.id + "-author";
    if (comment.website && isWebAddress(comment.website)) {
      var link = element("a", null, comment.author);
      link.href = comment.website;
      link.rel = "nofollow ugc noopener";
      author.appendChild(link);
    } else {
      author.textContent = comment.author;
    }
    return author;
  }

  // The same "Reply" link the theme puts under each comment; comments.js handles its clicks.
  function replyLink(comment) {
    var actions = element("p", "comment-actions");
    var link = element("a", "comment-reply", "Reply");
    link.href = "?reply=" + encodeURIComponent(comment.id) + "#comment-form";
    link.setAttribute("data-comment", comment.id);
    link.setAttribute("data-author", comment.author);
    link.appendChild(element("span", "visually-hidden", " to " + comment.author));
    actions.appendChild(link);
    return actions;
  }

  function render(comment) {
    var item = element("li", "comment comment-live");
    item.id = "comment-" + comment.id;
    var article = element("article");
    article.setAttribute("aria-labelledby", item.id + "-author");
    var header = element("header", "comment-header");
    var permalink = element("a", "comment-date");
    permalink.href = "#" + item.id;
    var time = element("time", null, comment.date);
    time.setAttribute("datetime", comment.created);
    permalink.appendChild(time);
    header.appendChild(authorOf(comment));
    header.appendChild(permalink);
    var body = element("div", "comment-body");
    body.innerHTML = comment.html; // sanitized by the server (nh3 allow-list)
    article.appendChild(header);
    article.appendChild(body);
    if (document.getElementById("comment-form")) {
      article.appendChild(replyLink(comment));
    }
    item.appendChild(article);
    return item;
  }

  function listFor(comment) {
    var parent = comment.parent && document.getElementById("comment-" + comment.parent);
    if (parent) {
      var replies = parent.querySelector(":scope > .comment-replies");
      if (!replies) {
        replies = parent.appendChild(element("ol", "comment-replies"));
      }
      return replies;
    }
    var list = section.querySelector(".comment-list");
    if (!list) {
      list = element("ol", "comment-list");
      var empty = section.querySelector(".comment-list-empty");
      if (empty) {
        empty.remove();
      }
      heading.after(list);
    }
    return list;
  }

  // The live server's confirmation, shown where the live page shows it, as plain text.
  function showNotice(text) {
    var notice = element("p", "notice notice-success", String(text));
    notice.setAttribute("role", "status");
    heading.after(notice);
    var target = document.getElementById(window.location.hash.slice(1));
    (target || notice).scrollIntoView();
  }

  function show(data) {
    var fresh = data.comments.filter(function (comment) {
      return !document.getElementById("comment-" + comment.id);
    });
    fresh.forEach(function (comment) {
      listFor(comment).appendChild(render(comment));
    });
    if (fresh.length) {
      var count = data.comments.length;
      heading.textContent =
        count + (count === 1 ? " comment" : " comments");
    }
    if (data.notice) {
      showNotice(data.notice);
    }
  }

  fetch(url.href, { mode: "cors", credentials: "omit" })
    .then(function (response) {
      return response.ok ? response.json() : { comments: [] };
    })
    .then(show)
    .catch(function () {
      // The live server is unreachable: the copy still shows the comments it was frozen with.
    });
})();
