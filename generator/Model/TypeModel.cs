namespace TinyFish.Toolkit.Generator.Model;

internal enum TypeKind
{
    String,
    Int32,
    Int64,
    Double,
    Decimal,
    Boolean,
    DateTimeOffset,
    DateOnly,
    Guid,
    Uri,
    Bytes,
    Json,
    Object,
    Enum,
    Union,
    List,
    Map,
}

/// <summary>
/// A use of a type: a primitive, a generated type by name, or a list/map of an element type;
/// <c>Nullable</c> says whether the spec allows JSON <c>null</c> here.
/// </summary>
internal sealed record TypeRef(TypeKind Kind, string? Name = null, TypeRef? Element = null, bool Nullable = false)
{
    public static TypeRef Json { get; } = new(TypeKind.Json);

    public TypeRef WithNullable(bool nullable) => Nullable == nullable ? this : this with { Nullable = nullable };

    public bool IsValueType => Kind switch
    {
        TypeKind.String or TypeKind.Uri or TypeKind.Bytes or TypeKind.Object or TypeKind.Union or TypeKind.List or TypeKind.Map => false,
        _ => true,
    };
}

/// <summary>A type the generator declares.</summary>
internal abstract record TypeModel(string Name, string? Description);

/// <summary>
/// A record for an object schema (properties merged from allOf). A union's variant has the union
/// as <c>BaseName</c> and the discriminator value that selects it.
/// </summary>
internal sealed record ObjectModel(
    string Name,
    string? Description,
    string? Example,
    EquatableArray<PropertyModel> Properties,
    string? BaseName,
    string? DiscriminatorJsonName,
    string? DiscriminatorCSharpName,
    string? DiscriminatorValue)
    : TypeModel(Name, Description);

internal sealed record PropertyModel(
    string JsonName,
    string CSharpName,
    TypeRef Type,
    bool Required,
    string? Description,
    string? Example,
    bool Deprecated);

/// <summary>An open string enum: known values as static members, any other value kept.</summary>
internal sealed record EnumModel(string Name, string? Description, EquatableArray<EnumMemberModel> Members) : TypeModel(Name, Description);

internal sealed record EnumMemberModel(string CSharpName, string Value);

/// <summary>
/// A closed hierarchy for a oneOf/anyOf with a discriminator, plus an unknown-variant record. A value may name
/// several variants (TFG0015): the properties each requires then choose, as in <see cref="KindUnionModel"/>
/// (<c>RequiredNames</c> holds the names whose index is the bit in <see cref="UnionVariantModel.RequiredMask"/>).
/// </summary>
internal sealed record UnionModel(
    string Name,
    string? Description,
    string DiscriminatorJsonName,
    string DiscriminatorCSharpName,
    string UnknownName,
    EquatableArray<UnionVariantModel> Variants,
    EquatableArray<string> RequiredNames = default)
    : TypeModel(Name, Description);

internal sealed record UnionVariantModel(string Value, string TypeName, ulong RequiredMask = 0);

/// <summary>
/// What an operation with several 2xx responses of different bodies answers: an abstract record with one
/// nested record per success status (<c>Ok(Body)</c>, <c>Created(Body)</c>, <c>NoContent()</c>).
/// </summary>
internal sealed record SuccessResultModel(string Name, string? Description, string OperationId, EquatableArray<SuccessVariantModel> Variants)
    : TypeModel(Name, Description);

/// <summary>One success status of a <see cref="SuccessResultModel"/>; <see cref="Body"/> is null when the spec gives it no body.</summary>
internal sealed record SuccessVariantModel(int StatusCode, string CSharpName, TypeRef? Body, string? Description);

/// <summary>The JSON kind of a value, which chooses a <see cref="KindUnionModel"/>'s variant.</summary>
internal enum JsonKind { String, Number, Boolean, Array, Object }

/// <summary>
/// A oneOf/anyOf whose choices are of different JSON kinds (a string or a list of parts), or several objects told apart
/// by the properties each requires: an abstract record with one nested record per variant holding the typed value,
/// plus <c>Unknown</c> that keeps JSON no variant takes as it came. Variants are wrapped, not derived, so a component
/// can be a variant of several unions.
/// <c>RequiredNames</c> are the distinct JSON names the object variants require or are told apart by, in the order whose
/// index is the bit in <see cref="KindVariantModel.RequiredMask"/> and <see cref="KindVariantModel.TellingMask"/>; empty
/// when at most one variant is an object. With a
/// <c>DiscriminatorJsonName</c>, every variant is an object and that property's value chooses it
/// (<see cref="KindVariantModel.DiscriminatorValues"/>).
/// </summary>
internal sealed record KindUnionModel(
    string Name,
    string? Description,
    EquatableArray<KindVariantModel> Variants,
    EquatableArray<string> RequiredNames,
    string? DiscriminatorJsonName = null)
    : TypeModel(Name, Description);

/// <summary>
/// One variant of a <see cref="KindUnionModel"/>: the kind that selects it, its nested record's name and the value's type.
/// Object variants of a union with several carry the bits of the properties they require and, for one that requires the
/// same as another, of the properties that tell it apart (<see cref="TellingMask"/>: it declares them and no other object
/// variant does) and of those it must not have (<see cref="ExcludedMask"/>: the others' own, so an object with two variants'
/// own properties is no one's; one twin may have no own property and take objects with none of the others'); the variants
/// are in the order the reader tries them (most required properties first, then spec order).
/// Array variants of a union with several carry the JSON kind of their items (<c>ItemKind</c>), which the first item chooses by.
/// </summary>
internal sealed record KindVariantModel(JsonKind Kind, string CSharpName, TypeRef Type, ulong RequiredMask = 0, EquatableArray<string> DiscriminatorValues = default, ulong TellingMask = 0, ulong ExcludedMask = 0, JsonKind? ItemKind = null);
