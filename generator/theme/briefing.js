/* Briefing: what the theme leaves to the page itself. No request to any host.
 *
 * - A footnote cited more than once shows its way back as a, b, c… in page order,
 *   each leading to that citation (as Wikipedia readers know them).
 * - A footnote's tooltip closes with Escape, and Tab from its marker enters it, so the
 *   link to the archived passage is reachable by keyboard (WCAG 1.4.13, 2.1.1).
 * - Opened from a folder (file://), a link to `topics/x/` opens `topics/x/index.html`,
 *   not a folder listing; served over HTTP nothing changes.
 */
(function () {
  "use strict";

  var LETTERS = "abcdefghijklmnopqrstuvwxyz";

  function letter(n) {
    return n < LETTERS.length ? LETTERS[n] : letter(Math.floor(n / LETTERS.length) - 1) + LETTERS[n % LETTERS.length];
  }

  function backReferences() {
    document.querySelectorAll(".footnote li[id^='fn:']").forEach(function (item) {
      var links = Array.prototype.slice.call(item.querySelectorAll("a.footnote-backref"));
      if (links.length < 2 || item.querySelector(".briefing-backrefs")) return;
      var citation = function (link) {
        return document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
      };
      links.sort(function (a, b) {
        var x = citation(a), y = citation(b);
        if (!x || !y) return 0;
        return x.compareDocumentPosition(y) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
      });
      var number = item.id.slice(3);
      var group = document.createElement("span");
      group.className = "briefing-backrefs";
      var mark = document.createElement("span");
      mark.className = "briefing-label briefing-backrefs-mark";
      mark.setAttribute("aria-hidden", "true");
      mark.textContent = "↩";
      group.appendChild(mark);
      links.forEach(function (link, n) {
        link.textContent = letter(n);
        link.classList.add("briefing-backref");
        link.setAttribute("title", "Back to citation " + letter(n) + " of footnote " + number);
        link.setAttribute("aria-label", "Back to citation " + letter(n) + " of footnote " + number);
        group.appendChild(link);
      });
      var parent = item.querySelector("p:last-of-type") || item;
      parent.appendChild(group);
    });
  }

  /* Material's tooltip stays open while its marker has focus or the pointer is over
     the tooltip; it listens for mouseenter/mouseleave on the tooltip itself. */
  function tooltipOf(marker) {
    var id = marker.getAttribute("aria-controls") || marker.getAttribute("aria-describedby");
    var tip = id && document.getElementById(id);
    var shown = tip && tip.matches(".md-tooltip2--active:not(.briefing-dismissed)");
    if (shown) return tip;
    /* The theme may not have tied the tooltip to its marker yet (it renders it a moment
       after focus): the one tooltip shown while the marker has focus is the marker's. */
    var active = document.querySelectorAll(".md-tooltip2--active:not(.briefing-dismissed)");
    return active.length === 1 && document.activeElement === marker ? active[0] : null;
  }

  function focusables(root) {
    return Array.prototype.filter.call(
      root.querySelectorAll("a[href], button, input, select, textarea, [tabindex]"),
      function (el) {
        return el.tabIndex >= 0 && !el.disabled && !el.closest(".md-tooltip2") && el.getClientRects().length > 0;
      }
    );
  }

  var opened = null; /* { marker, tip } while focus is inside a tooltip */

  function leave(toMarker) {
    if (!opened) return;
    var state = opened;
    opened = null;
    if (toMarker) state.marker.focus();
    state.tip.dispatchEvent(new MouseEvent("mouseleave"));
  }

  function onKey(event) {
    var target = event.target;
    if (event.key === "Escape") {
      var inside = opened && opened.tip.contains(target);
      if (inside) leave(true);
      /* Hidden by a class of ours, not the theme's: the theme still knows the marker
         has focus, and shows the tooltip again when the marker is next focused. */
      var open = document.querySelectorAll(".md-tooltip2--active:not(.briefing-dismissed)");
      if (open.length) {
        open.forEach(function (tip) {
          tip.classList.add("briefing-dismissed");
        });
        event.preventDefault();
      }
      return;
    }
    if (event.key !== "Tab") return;
    if (!event.shiftKey && target.matches && target.matches("a.footnote-ref")) {
      var tip = tooltipOf(target);
      var first = tip && focusablesIn(tip)[0];
      if (!first) return;
      event.preventDefault();
      tip.dispatchEvent(new MouseEvent("mouseenter"));
      opened = { marker: target, tip: tip };
      first.focus();
      return;
    }
    if (opened && opened.tip.contains(target)) {
      var inTip = focusablesIn(opened.tip);
      var index = inTip.indexOf(target);
      if (event.shiftKey && index <= 0) {
        event.preventDefault();
        leave(true);
      } else if (!event.shiftKey && index === inTip.length - 1) {
        event.preventDefault();
        var marker = opened.marker;
        var all = focusables(document);
        var next = all[all.indexOf(marker) + 1];
        leave(false);
        (next || marker).focus();
      }
    }
  }

  function focusablesIn(tip) {
    return Array.prototype.slice.call(tip.querySelectorAll("a[href]"));
  }

  function undismiss(event) {
    if (event.target.matches && event.target.matches("a.footnote-ref")) {
      document.querySelectorAll(".md-tooltip2.briefing-dismissed").forEach(function (tip) {
        tip.classList.remove("briefing-dismissed");
      });
    }
  }

  function onFocusOut(event) {
    if (opened && opened.tip.contains(event.target) && !opened.tip.contains(event.relatedTarget)) {
      if (event.relatedTarget !== opened.marker) leave(false);
    }
  }

  /* From disk a folder URL shows a listing: name its index.html. Links the theme adds
     later (search results) are fixed when they are followed. */
  function fileLink(link) {
    var url;
    try {
      url = new URL(link.href);
    } catch (error) {
      return;
    }
    if (url.protocol === "file:" && url.pathname.slice(-1) === "/") {
      url.pathname += "index.html";
      link.setAttribute("href", url.href);
    }
  }

  function fromDisk() {
    if (location.protocol !== "file:") return;
    document.querySelectorAll("a[href]").forEach(fileLink);
    document.addEventListener(
      "click",
      function (event) {
        var link = event.target.closest && event.target.closest("a[href]");
        if (link) fileLink(link);
      },
      true
    );
  }

  function start() {
    backReferences();
    fromDisk();
    document.addEventListener("keydown", onKey, true);
    document.addEventListener("focusout", onFocusOut, true);
    document.addEventListener("focusin", undismiss, true);
    document.addEventListener("mouseover", undismiss, true);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
