/**
 * Wire records: the JSON shapes of RFC 8555 objects and request payloads, separate from both
 * entities and flow views.
 */
package io.certapi.web.json;
