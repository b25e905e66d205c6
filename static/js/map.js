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

  function directoryMap(element) {
    var map = baseMap(element, { zoomSnap: 0.25 });
    map.setView(FRANCE, 6);
    var status = document.getElementById("map-status");
    var say = function (text) {
      if (status) {
        status.textContent = text;
      }
    };
    say(element.dataset.loading || "Chargement de la carte…");
    fetch(element.dataset.source, { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (data) {
        var points = data.features.filter(function (f) { return f.geometry.type === "Point"; });
        var lines = data.features.filter(function (f) { return f.geometry.type !== "Point"; });
        var clusters = L.markerClusterGroup ? L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 45 }) : L.layerGroup();
        featureLayer({ type: "FeatureCollection", features: points }).eachLayer(function (layer) {
          clusters.addLayer(layer);
        });
        featureLayer({ type: "FeatureCollection", features: lines }).addTo(map);
        clusters.addTo(map);
        // Frame mainland France and Corsica when points are there, so that one entry
        // overseas does not zoom the map out to the whole globe.
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
        if (bounds.isValid()) {
          map.fitBounds(bounds.pad(0.1), { maxZoom: 11 });
        }
        var text = element.dataset.summary || "{entries} fiches et {links} liens rural–urbain affichés.";
        text = text.replace("{entries}", number(data.meta.entries)).replace("{links}", number(data.meta.links));
        if (data.meta.truncated) {
          text += " " + (element.dataset.truncated || "Affinez les filtres pour tout voir.");
        }
        element.dataset.loaded = "true";
        say(text);
      })
      .catch(function () {
        say(element.dataset.failed || "La carte n'a pas pu être chargée. La liste reste disponible.");
      });
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
