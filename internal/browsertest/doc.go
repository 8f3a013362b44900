// Package browsertest opens an HTML file in headless Chromium through the
// DevTools protocol (github.com/chromedp/chromedp) and reports what a person
// would see: console errors, network requests, the size of every inline SVG,
// the text of marked elements, and a screenshot. Tests use it to check that
// the HTML reports are self-contained and render. A Session (Start) is a
// browser a test drives through a web app with chromedp actions — sign in,
// fill forms, click — while it collects every error the pages report.
//
// It drives Debian's chromium package (/usr/bin/chromium); Find reports
// whether one is installed, so that tests can skip with a clear message.
package browsertest
