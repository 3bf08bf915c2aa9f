namespace Shanzhi.Web.Tests;
