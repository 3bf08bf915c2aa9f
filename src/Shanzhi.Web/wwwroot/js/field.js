// Optional helpers of the phone pages; every form works without them.
// 1. "Use my position" fills latitude/longitude from the browser's geolocation.
// 2. A photo over the size limit is rejected before a slow upload starts.
(() => {
  for (const button of document.querySelectorAll('[data-locate]')) {
    const form = button.closest('form');
    const status = form.querySelector('[data-locate-status]');
    const fill = () => {
      if (!navigator.geolocation) {
        if (status) status.textContent = '本机不支持定位，请手动填写经纬度。';
        return;
      }
      if (status) status.textContent = '正在定位…';
      navigator.geolocation.getCurrentPosition(p => {
        form.querySelector('[name="Input.Latitude"]').value = p.coords.latitude.toFixed(6);
        form.querySelector('[name="Input.Longitude"]').value = p.coords.longitude.toFixed(6);
        if (status) status.textContent = '已获取当前位置（精度约 ' + Math.round(p.coords.accuracy) + ' 米）。';
      }, () => {
        if (status) status.textContent = '无法获取位置，请允许定位或手动填写经纬度。';
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    };
    button.hidden = false;
    button.addEventListener('click', fill);
    if (button.hasAttribute('data-locate-auto')) fill();
  }

  for (const input of document.querySelectorAll('input[type=file][data-max-bytes]')) {
    input.addEventListener('change', () => {
      const max = Number(input.dataset.maxBytes);
      const file = input.files && input.files[0];
      input.setCustomValidity(file && file.size > max ? input.dataset.tooLarge : '');
      input.reportValidity();
    });
  }
})();
