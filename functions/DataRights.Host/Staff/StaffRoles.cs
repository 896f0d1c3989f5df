namespace DataRights.Host.Staff;

/// <summary>App roles as Entra ID puts them in the token's <c>roles</c> claim, and the policies built on them.</summary>
public static class StaffRoles
{
    public const string Approver = "DataRights.Approver";
    public const string Admin = "DataRights.Admin";

    public const string ApproverPolicy = "Approver";
    public const string AdminPolicy = "Admin";

    public const string RoleClaim = "roles";
    public const string NameClaim = "name";
}
