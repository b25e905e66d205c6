// Maps of the directory (Leaflet). Every map has a text alternative on its page; this
// file only draws. No HTML is built from data: popups are made of DOM nodes.
(function () {
  "use strict";
  if (!window.L) {
    return;
  }
  var page = document.body.dataset;
  var tileUrl = page.tiles || "";
  // The page's language: translated by the server, never written here.
  var TEXT = {
    zoomIn: page.mapZoomIn || "Zoom avant",
    zoomOut: page.mapZoomOut || "Zoom arrière",
    attribution: page.mapAttribution || "© contributeurs OpenStreetMap",
  };
  var FRANCE = [46.6, 2.4];
  var MAINLAND = L.latLngBounds([41.2, -5.3], [51.2, 9.7]);
  var number = function (n) {
    return Number(n).toLocaleString(document.documentElement.lang || "fr");
  };

  function showTilesNotice(element) {
    element.classList.add("no-tiles");
    var notice = document.getElementById("map-tiles-notice");
    if (notice) {
      notice.hidden = false;
    }
  }

  function baseMap(element, options) {
    var settings = Object.assign({ scrollWheelZoom: false, zoomControl: false }, options || {});
    var withZoom = (options || {}).zoomControl !== false;
    settings.zoomControl = false;
    var map = L.map(element, settings);
    if (withZoom) {
      L.control.zoom({ zoomInTitle: TEXT.zoomIn, zoomOutTitle: TEXT.zoomOut }).addTo(map);
    }
    map.attributionControl.setPrefix(
      '<a href="https://leafletjs.com" lang="en">Leaflet</a>'
    );
    if (!tileUrl) {
      showTilesNotice(element);
      return map;
    }
    var layer = L.tileLayer(tileUrl, {
      maxZoom: 18,
      attribution: TEXT.attribution,
    });
    var warned = false;
    layer.on("tileerror", function () {
      if (!warned) {
        warned = true;
        showTilesNotice(element);
      }
    });
    layer.addTo(map);
    return map;
  }

  function dot(feature) {
    var setting = feature.properties.setting || "none";
    return L.divIcon({
      className: "map-dot map-dot-" + setting,
      iconSize: [14, 14],
      iconAnchor: [7, 7],
      popupAnchor: [0, -6],
    });
  }

  function popupContent(properties) {
    var box = document.createElement("div");
    var title = document.createElement(properties.url ? "a" : "strong");
    title.textContent = properties.name;
    if (properties.url) {
      title.href = properties.url;
      title.className = "fw-semibold";
    }
    box.appendChild(title);
    var details = [properties.type, properties.setting_label].filter(Boolean).join(" · ");
    if (details) {
      var line = document.createElement("div");
      line.className = "small";
      line.textContent = details;
      box.appendChild(line);
    }
    return box;
  }

  function featureLayer(data) {
    return L.geoJSON(data, {
      pointToLayer: function (feature, latlng) {
        return L.marker(latlng, { icon: dot(feature), title: feature.properties.name, alt: feature.properties.name });
      },
      style: function () {
        return { color: "#a66c0c", weight: 2, opacity: 0.75, dashArray: "6 4" };
      },
      onEachFeature: function (feature, layer) {
        layer.bindPopup(function () {
          return popupContent(feature.properties);
        });
      },
    });
  }

  function pointMap(element) {
    var latlng = [parseFloat(element.dataset.lat), parseFloat(element.dataset.lng)];
    var map = baseMap(element, { zoomControl: true });
    map.setView(latlng, 9);
    L.marker(latlng, {
      icon: L.divIcon({ className: "map-dot map-dot-none", iconSize: [14, 14], iconAnchor: [7, 7] }),
      title: element.dataset.label,
      alt: element.dataset.label,
    }).addTo(map);
  }

  function practiceMap(element) {
    var source = document.getElementById(element.dataset.source);
    var data = JSON.parse(source.textContent);
    var map = baseMap(element);
    var layer = featureLayer(data).addTo(map);
    var bounds = layer.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds.pad(0.3), { maxZoom: 10 });
    } else {
      map.setView(FRANCE, 5);
    }
  }

  // A group of entries the server gathered (too many to draw one by one at this zoom):
  // a disc with their number; choosing it zooms to them.
  function groupMarker(map, feature, template) {
    var count = feature.properties.count;
    var label = document.createElement("span");
    label.textContent = number(count);
    var size = count < 100 ? 34 : count < 1000 ? 42 : 50;
    var title = (template || "{count} fiches : zoomer").replace("{count}", number(count));
    var latlng = L.latLng(feature.geometry.coordinates[1], feature.geometry.coordinates[0]);
    var marker = L.marker(latlng, {
      icon: L.divIcon({ className: "map-group", html: label, iconSize: [size, size], iconAnchor: [size / 2, size / 2] }),
      title: title,
      alt: title,
      keyboard: true,
    });
    var zoomIn = function () {
      var b = feature.properties.bounds;
      var bounds = b ? L.latLngBounds([b[1], b[0]], [b[3], b[2]]) : null;
      if (bounds && bounds.isValid() && !bounds.getSouthWest().equals(bounds.getNorthEast())) {
        map.fitBounds(bounds.pad(0.15), { maxZoom: 16 });
      } else {
        map.setView(latlng, Math.min(map.getZoom() + 2, 16));
      }
    };
    marker.on("click", zoomIn);
    // Leaflet gives Enter to popups only: a group takes Enter and Space itself.
    marker.on("keypress", function (e) {
      var key = e.originalEvent.key;
      if (key === "Enter" || key === " ") {
        e.originalEvent.preventDefault();
        zoomIn();
      }
    });
    return marker;
  }

  function clamp(value, low, high) {
    return Math.max(low, Math.min(high, value));
  }

  // The directory's map asks the server for what its view shows: every entry and the
  // rural–urban links when they are few enough, else groups with their numbers. Each
  // move or zoom asks again (the previous request is dropped).
  function directoryMap(element) {
    var map = baseMap(element, { zoomSnap: 0.25 });
    map.setView(FRANCE, 6);
    var status = document.getElementById("map-status");
    var say = function (text) {
      if (status) {
        status.textContent = text;
      }
    };
    var layers = L.layerGroup().addTo(map);
    var pending = null;
    var timer = null;
    var framed = false;

    function address() {
      var source = element.dataset.source;
      var params = "zoom=" + Math.floor(map.getZoom());
      if (framed) {
        var b = map.getBounds();
        params += "&bbox=" + [
          clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90),
          clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90),
        ].map(function (n) { return n.toFixed(4); }).join(",");
      }
      return source + (source.indexOf("?") === -1 ? "?" : "&") + params;
    }

    function draw(data) {
      layers.clearLayers();
      var points = data.features.filter(function (f) { return f.geometry.type === "Point"; });
      var lines = data.features.filter(function (f) { return f.geometry.type !== "Point"; });
      if (data.meta.clustered) {
        points.forEach(function (f) {
          layers.addLayer(groupMarker(map, f, element.dataset.group));
        });
      } else {
        var clusters = L.markerClusterGroup ? L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45 }) : L.layerGroup();
        featureLayer({ type: "FeatureCollection", features: points }).eachLayer(function (layer) {
          clusters.addLayer(layer);
        });
        layers.addLayer(featureLayer({ type: "FeatureCollection", features: lines }));
        layers.addLayer(clusters);
      }
      return points;
    }

    // The first answer covers every entry the filters select: frame mainland France and
    // Corsica when points are there, so that one entry overseas does not zoom the map out
    // to the whole globe.
    function frame(points) {
      var bounds = L.latLngBounds([]);
      var mainland = L.latLngBounds([]);
      points.forEach(function (f) {
        var latlng = L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]);
        bounds.extend(latlng);
        if (MAINLAND.contains(latlng)) {
          mainland.extend(latlng);
        }
      });
      if (mainland.isValid()) {
        bounds = mainland;
      }
      framed = true;
      if (bounds.isValid()) {
        map.fitBounds(bounds.pad(0.1), { maxZoom: 11 });
      }
    }

    function describe(data) {
      var text;
      if (data.meta.clustered) {
        text = element.dataset.grouped || "{entries} fiches en {groups} groupes : zoomez pour les voir une à une, avec leurs liens.";
        text = text.replace("{entries}", number(data.meta.entries)).replace("{groups}", number(data.meta.clusters));
      } else {
        text = element.dataset.summary || "{entries} fiches et {links} liens rural–urbain affichés.";
        text = text.replace("{entries}", number(data.meta.entries)).replace("{links}", number(data.meta.links));
        if (data.meta.truncated) {
          text += " " + (element.dataset.truncated || "Affinez les filtres pour tout voir.");
        }
      }
      say(text);
    }

    function load() {
      if (pending) {
        pending.abort();
      }
      var controller = window.AbortController ? new AbortController() : null;
      var url = address();
      pending = controller;
      fetch(url, { headers: { Accept: "application/geo+json" }, signal: controller ? controller.signal : undefined })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(response.status);
          }
          return response.json();
        })
        .then(function (data) {
          if (pending !== controller) {
            return;
          }
          pending = null;
          var points = draw(data);
          describe(data);
          element.dataset.loaded = "true";
          element.dataset.view = url;  // what is drawn: the tests wait on it
          if (!framed) {
            frame(points);
          }
        })
        .catch(function (error) {
          if (error && error.name === "AbortError") {
            return;
          }
          say(element.dataset.failed || "La carte n'a pas pu être chargée. La liste reste disponible.");
        });
    }

    map.on("moveend", function () {
      if (!framed) {
        return;
      }
      window.clearTimeout(timer);
      timer = window.setTimeout(load, 200);
    });
    say(element.dataset.loading || "Chargement de la carte…");
    load();
  }

  document.querySelectorAll("[data-map]").forEach(function (element) {
    var kind = element.dataset.map;
    if (kind === "point") {
      pointMap(element);
    } else if (kind === "practice") {
      practiceMap(element);
    } else if (kind === "directory") {
      directoryMap(element);
    }
  });
})();
