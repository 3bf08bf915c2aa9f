namespace Shanzhi.Web.Components.Field;

/// <summary>
/// Marks a page of the grid workers' phone site. App.razor renders such pages statically in a
/// small document (one stylesheet, one optional script) instead of the AntDesign console.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class FieldPageAttribute : Attribute;
